//! Every UI string, in English and Chinese, and number formatting per language.

use crate::lang::Lang;

/// The UI's strings; one instance per language.
pub struct Texts {
    pub app_name: &'static str,
    pub file: &'static str,
    pub new: &'static str,
    pub open: &'static str,
    pub open_recent: &'static str,
    pub no_recent: &'static str,
    pub save: &'static str,
    pub save_as: &'static str,
    pub quit: &'static str,
    pub export_report: &'static str,
    pub report_written: &'static str,
    pub report_failed: &'static str,
    pub report_extension: &'static str,
    pub help: &'static str,
    pub about: &'static str,
    pub version: &'static str,
    pub prices_as_of: &'static str,
    pub models_as_of: &'static str,
    pub licences: &'static str,
    pub close: &'static str,
    pub view: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub theme_system: &'static str,
    pub currency: &'static str,
    pub this_machine: &'static str,
    pub detecting: &'static str,
    pub redetect: &'static str,
    pub no_gpu: &'static str,
    pub cpu: &'static str,
    pub ram: &'static str,
    pub mem_bw: &'static str,
    pub bw_measured_on: &'static str,
    pub bw_busy_reads_low: &'static str,
    pub source: &'static str,
    pub what_if: &'static str,
    pub what_if_hint: &'static str,
    pub add_gpu: &'static str,
    pub gpu_model: &'static str,
    pub count: &'static str,
    pub remove: &'static str,
    pub ram_gb: &'static str,
    pub cpu_bw_gbs: &'static str,
    pub reset_to_detected: &'static str,
    pub tab_verdict: &'static str,
    pub tab_wizard: &'static str,
    pub tab_costs: &'static str,
    pub context: &'static str,
    pub runtime: &'static str,
    pub runtime_auto: &'static str,
    pub runtime_auto_tip: &'static str,
    pub attention: &'static str,
    pub good_to_know: &'static str,
    pub speculative: &'static str,
    pub speculative_off: &'static str,
    pub speculative_tip: &'static str,
    pub users_at_once: &'static str,
    pub users_at_once_tip: &'static str,
    pub per_user: &'static str,
    pub server_output: &'static str,
    pub first_token: &'static str,
    pub first_token_tip: &'static str,
    pub requests_per_s: &'static str,
    pub kv_pool_holds: &'static str,
    pub users: &'static str,
    pub model: &'static str,
    pub click_a_cell: &'static str,
    pub by_precision: &'static str,
    pub by_file: &'static str,
    pub by_precision_tip: &'static str,
    pub by_file_tip: &'static str,
    pub best_here: &'static str,
    pub would_fit_if_row: &'static str,
    pub shown_on_open: &'static str,
    pub weights: &'static str,
    pub kv_cache: &'static str,
    pub overhead: &'static str,
    pub total: &'static str,
    pub gpu_memory: &'static str,
    pub placement: &'static str,
    /// The quant's file: published or estimated by formula.
    pub quant_file: &'static str,
    pub speed: &'static str,
    pub speed_assumes: &'static str,
    pub prefill: &'static str,
    pub quality: &'static str,
    pub no_scores: &'static str,
    pub would_fit_if: &'static str,
    pub launch: &'static str,
    pub copy: &'static str,
    pub measured: &'static str,
    pub measured_none: &'static str,
    pub measured_tip: &'static str,
    pub copy_link: &'static str,
    pub unsaved_title: &'static str,
    pub unsaved_body: &'static str,
    pub discard: &'static str,
    pub cancel: &'static str,
    pub open_failed: &'static str,
    pub save_failed: &'static str,
    pub autosave_failed: &'static str,
    pub autosave_unreadable: &'static str,
    pub ok: &'static str,
    pub recovered: &'static str,
    pub restore: &'static str,
    pub none_fits: &'static str,
    pub tok_s: &'static str,
    pub evaluate_model: &'static str,
    pub export_deployment: &'static str,
    pub export_shell: &'static str,
    pub export_done: &'static str,
    pub export_failed: &'static str,
    pub model_file: &'static str,
    pub reading_model: &'static str,
    pub model_file_failed: &'static str,
    pub architecture: &'static str,
    pub quant: &'static str,
    pub on_disk: &'static str,
    pub tensors: &'static str,
    pub size_by_group: &'static str,
    pub verdict: &'static str,
    pub drop_hint: &'static str,
}

pub const EN: Texts = Texts {
    app_name: "DeepSeek Advisor",
    file: "File",
    new: "New",
    open: "Open…",
    open_recent: "Open Recent",
    no_recent: "No recent files",
    save: "Save",
    save_as: "Save As…",
    quit: "Quit",
    export_report: "Export Report…",
    report_written: "Report written:",
    report_failed: "Could not write the report",
    report_extension: "A report file name ends in .html or .md",
    help: "Help",
    about: "About DeepSeek Advisor",
    version: "Version",
    prices_as_of: "Prices as of",
    models_as_of: "Newest model in the catalog",
    licences: "Licences",
    close: "Close",
    view: "View",
    theme_light: "Light",
    theme_dark: "Dark",
    theme_system: "System theme",
    currency: "Currency",
    this_machine: "This machine",
    detecting: "Detecting hardware…",
    redetect: "Detect again",
    no_gpu: "No GPU found",
    cpu: "CPU",
    ram: "RAM",
    mem_bw: "Memory bandwidth",
    bw_measured_on: "Measured on",
    bw_busy_reads_low: "by a short copy test; a busy machine reads low, so detect again when it is idle.",
    source: "Source",
    what_if: "What if",
    what_if_hint: "Try other hardware: the grid updates at once.",
    add_gpu: "Add GPU",
    gpu_model: "GPU model",
    count: "Count",
    remove: "Remove",
    ram_gb: "RAM (GB)",
    cpu_bw_gbs: "CPU bandwidth (GB/s)",
    reset_to_detected: "Reset to detected",
    tab_verdict: "Verdict",
    tab_wizard: "Wizard",
    tab_costs: "Costs",
    context: "Context",
    runtime: "Runtime",
    runtime_auto: "auto (best per cell)",
    runtime_auto_tip: "Each cell uses the fastest runtime that runs the model and loads the quant on this machine.",
    attention: "Attention and KV cache",
    good_to_know: "Good to know",
    speculative: "Speculative decoding",
    speculative_off: "off",
    speculative_tip: "Draft tokens with the checkpoint's MTP layers or DSpark module: measured +28–40% for one user on Macs, up to 2–2.7× on GPU servers, fading as more users share the server.",
    users_at_once: "Users at once",
    users_at_once_tip: "Requests decoded together (batch size). Above 1 the detail shows what each user gets and what the whole machine delivers.",
    per_user: "Per user",
    server_output: "Whole machine",
    first_token: "First token",
    first_token_tip: "Time to first token for a prompt of half the context window, waiting for other users' prompts included.",
    requests_per_s: "Requests/s",
    kv_pool_holds: "KV cache room",
    users: "users at this context",
    model: "Model",
    click_a_cell: "Click a cell for its memory, speed and launch command.",
    by_precision: "By precision",
    by_file: "By file",
    by_precision_tip: "One column per precision (bits per weight of the bulk of the model: the experts of an MoE); each cell names the best file of that precision on this machine.",
    by_file_tip: "One column per published file or quantization format.",
    best_here: "The best file for this machine (what `check` picks).",
    would_fit_if_row: "Doesn't fit here. It would fit if:",
    shown_on_open: "(the headline's model; click any cell for another)",
    weights: "Weights",
    kv_cache: "KV cache",
    overhead: "Overhead",
    total: "Total",
    gpu_memory: "GPU memory",
    placement: "Placement",
    quant_file: "Model file",
    speed: "Decode speed",
    speed_assumes: "Assumes a sequence half-way through the context, batch 1, efficiencies calibrated on published measurements.",
    prefill: "Prefill (512-token prompt)",
    quality: "Official scores",
    no_scores: "No official scores published.",
    would_fit_if: "Would fit if you",
    launch: "Launch command",
    copy: "Copy",
    measured: "Measured",
    measured_none: "No measurement of this model family on this or similar hardware yet.",
    measured_tip: "Published measurements nearest to this estimate: the same setup first, then the same model family and quantization on the same or similar hardware, then the same device with other models. `deepseek-advisor accuracy` shows how far the estimates miss on measurements.",
    copy_link: "Copy link",
    unsaved_title: "Unsaved changes",
    unsaved_body: "Save the changes to this scenario first?",
    discard: "Don't save",
    cancel: "Cancel",
    open_failed: "Could not open the scenario",
    save_failed: "Could not save the scenario",
    autosave_failed: "Unsaved work could not be kept for recovery after a crash; save the scenario to keep it",
    autosave_unreadable: "Unsaved work from the last session could not be read",
    ok: "OK",
    recovered: "Unsaved work from the last session was recovered.",
    restore: "Restore",
    none_fits: "No DeepSeek model fits this machine.",
    tok_s: "tokens/s",
    evaluate_model: "Evaluate model file…",
    export_deployment: "Export deployment",
    export_shell: "Shell scripts…",
    export_done: "Deployment files written (see README.md there):",
    export_failed: "Could not export the deployment:",
    model_file: "Model file",
    reading_model: "Reading the file's header…",
    model_file_failed: "Could not read the model file",
    architecture: "Architecture",
    quant: "Quantization",
    on_disk: "on disk",
    tensors: "tensors",
    size_by_group: "Size by tensor group",
    verdict: "Verdict",
    drop_hint: "Only the header is read; drop a .gguf file or a model folder on the window to evaluate another.",
};

pub const ZH: Texts = Texts {
    app_name: "DeepSeek 部署顾问",
    file: "文件",
    new: "新建",
    open: "打开…",
    open_recent: "最近打开",
    no_recent: "没有最近的文件",
    save: "保存",
    save_as: "另存为…",
    quit: "退出",
    export_report: "导出报告…",
    report_written: "报告已写入：",
    report_failed: "无法写入报告",
    report_extension: "报告文件名须以 .html 或 .md 结尾",
    help: "帮助",
    about: "关于 DeepSeek 部署顾问",
    version: "版本",
    prices_as_of: "价格截至",
    models_as_of: "目录中最新模型发布于",
    licences: "许可证",
    close: "关闭",
    view: "视图",
    theme_light: "浅色",
    theme_dark: "深色",
    theme_system: "跟随系统主题",
    currency: "货币",
    this_machine: "本机",
    detecting: "正在检测硬件…",
    redetect: "重新检测",
    no_gpu: "未发现 GPU",
    cpu: "CPU",
    ram: "内存",
    mem_bw: "内存带宽",
    bw_measured_on: "测量于",
    bw_busy_reads_low: "（短时复制测试）；机器繁忙时读数偏低，可在空闲时重新检测。",
    source: "来源",
    what_if: "假设",
    what_if_hint: "试试其他硬件：表格会立即更新。",
    add_gpu: "添加 GPU",
    gpu_model: "GPU 型号",
    count: "数量",
    remove: "移除",
    ram_gb: "内存 (GB)",
    cpu_bw_gbs: "CPU 带宽 (GB/s)",
    reset_to_detected: "恢复为检测结果",
    tab_verdict: "结论",
    tab_wizard: "向导",
    tab_costs: "成本",
    context: "上下文",
    runtime: "推理框架",
    runtime_auto: "自动（每格最优）",
    runtime_auto_tip: "每个单元格使用本机上能运行该模型并加载该量化的最快推理框架。",
    attention: "注意力与 KV 缓存",
    good_to_know: "须知",
    speculative: "推测解码",
    speculative_off: "关闭",
    speculative_tip: "用模型自带的 MTP 层或 DSpark 模块预先起草 token：实测 Mac 单用户提速 28–40%，GPU 服务器最多 2–2.7 倍，并发用户越多收益越小。",
    users_at_once: "同时在线用户",
    users_at_once_tip: "同时解码的请求数（批大小）。大于 1 时显示每个用户的速度和整机的输出。",
    per_user: "每用户",
    server_output: "整机",
    first_token: "首 token",
    first_token_tip: "提示长度为上下文窗口一半时的首 token 时间，含等待其他用户提示预填充的时间。",
    requests_per_s: "请求/秒",
    kv_pool_holds: "KV 缓存容量",
    users: "个用户（此上下文）",
    model: "模型",
    click_a_cell: "点击单元格查看内存、速度和启动命令。",
    by_precision: "按精度",
    by_file: "按文件",
    by_precision_tip: "每列一种精度（模型主体的每权重位数；MoE 模型按专家计）；每个单元格注明本机上该精度最好的文件。",
    by_file_tip: "每列一个已发布的文件或量化格式。",
    best_here: "本机最合适的文件（与 `check` 的选择相同）。",
    would_fit_if_row: "本机装不下。以下改动可以装下：",
    shown_on_open: "（标题中的模型；点击任意单元格查看其他）",
    weights: "权重",
    kv_cache: "KV 缓存",
    overhead: "额外开销",
    total: "合计",
    gpu_memory: "显存",
    placement: "放置方式",
    quant_file: "模型文件",
    speed: "生成速度",
    speed_assumes: "按上下文过半、批大小 1 计算；效率系数用公开测量值校准。",
    prefill: "预填充（512 token 提示词）",
    quality: "官方评测",
    no_scores: "没有公开的官方评测。",
    would_fit_if: "这样就能运行：",
    launch: "启动命令",
    copy: "复制",
    measured: "实测",
    measured_none: "尚无该模型系列在此或相近硬件上的实测。",
    measured_tip: "与本估计最接近的公开实测：先是同一配置，再是同一设备或相近硬件上的同系列、同量化级别模型，最后是同一设备上的其他模型。`deepseek-advisor accuracy` 显示估计相对实测的误差。",
    copy_link: "复制链接",
    unsaved_title: "未保存的更改",
    unsaved_body: "是否先保存对此方案的更改？",
    discard: "不保存",
    cancel: "取消",
    open_failed: "无法打开方案文件",
    save_failed: "无法保存方案文件",
    autosave_failed: "无法保留未保存的工作以备崩溃后恢复；请保存方案文件",
    autosave_unreadable: "无法读取上次未保存的工作",
    ok: "确定",
    recovered: "已找回上次未保存的工作。",
    restore: "恢复",
    none_fits: "本机放不下任何 DeepSeek 模型。",
    tok_s: "token/s",
    evaluate_model: "评估模型文件…",
    export_deployment: "导出部署",
    export_shell: "Shell 脚本…",
    export_done: "部署文件已写入（说明见其中的 README.md）：",
    export_failed: "无法导出部署：",
    model_file: "模型文件",
    reading_model: "正在读取文件头…",
    model_file_failed: "无法读取模型文件",
    architecture: "架构",
    quant: "量化",
    on_disk: "磁盘占用",
    tensors: "个张量",
    size_by_group: "按张量组的大小",
    verdict: "结论",
    drop_hint: "只读取文件头；把 .gguf 文件或模型文件夹拖到窗口上即可评估另一个。",
};

/// The name of a tensor group.
pub fn group_name(lang: Lang, g: crate::modelfile::groups::Group) -> &'static str {
    use crate::modelfile::groups::Group::*;
    let (en, zh) = match g {
        Embedding => ("Embedding", "词嵌入"),
        Attention => ("Attention and norms", "注意力与归一化"),
        DenseFfn => ("Dense FFN", "稠密 FFN"),
        SharedExperts => ("Shared experts", "共享专家"),
        RoutedExperts => ("Routed experts", "路由专家"),
        Router => ("Expert router", "专家路由"),
        Output => ("Output head", "输出头"),
        Mtp => ("MTP layers", "MTP 层"),
        Engram => ("Engram tables", "Engram 表"),
        Vision => ("Vision", "视觉"),
        Other => ("Other", "其他"),
    };
    lang.pick(en, zh)
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub use crate::lang::format_amount;

/// A catalog price: `$1,599–3,000 (2025-07)`, or `¥1.9 万 (2026-01, estimate)` in Chinese.
pub fn price(lang: Lang, p: &crate::catalog::schema::PriceQuote) -> String {
    let symbol = match p.currency {
        crate::catalog::schema::Currency::Usd => "$",
        crate::catalog::schema::Currency::Cny => "¥",
    };
    let mut s = format!("{symbol}{}", format_amount(lang, p.low));
    if p.high > p.low {
        s.push_str(&format!("–{}", format_amount(lang, p.high)));
    }
    let estimate = if p.confidence.is_estimate() {
        lang.pick(", estimate", "，估计")
    } else {
        ""
    };
    format!("{s} ({}{estimate})", p.date)
}

/// The line that folds the rest of the grid: `12 more models don't fit here — show them`, or with
/// models that run beyond the first screen, `5 more models that run and 12 that don't fit here`.
pub fn folded_line(
    lang: Lang,
    (runs, misfits): (usize, usize),
    open: bool,
    any_runs: bool,
) -> String {
    let n = runs + misfits;
    match (lang, open, runs > 0, misfits > 0) {
        (Lang::En, true, ..) => format!("Hide the {n} folded models"),
        (Lang::En, false, true, true) => {
            format!("{runs} more models that run and {misfits} that don't fit here — show them")
        }
        (Lang::En, false, true, false) => format!("{runs} more models that run here — show them"),
        (Lang::En, false, false, _) if any_runs => {
            format!("{misfits} more models don't fit here — show them")
        }
        (Lang::En, false, false, _) => {
            format!("{misfits} more models don't fit here either — show them")
        }
        (Lang::Zh, true, ..) => format!("收起折叠的 {n} 个模型"),
        (Lang::Zh, false, true, true) => {
            format!("另有 {runs} 个能运行的模型和 {misfits} 个装不下的模型 — 展开")
        }
        (Lang::Zh, false, true, false) => format!("另有 {runs} 个能运行的模型 — 展开"),
        (Lang::Zh, false, false, _) if any_runs => {
            format!("另有 {misfits} 个模型在本机装不下 — 展开")
        }
        (Lang::Zh, false, false, _) => format!("另有 {misfits} 个模型也装不下 — 展开"),
    }
}

/// The verdict sentence at the top of the Verdict tab.
/// The line under the headline when this machine has a saved measurement of the headline's
/// model and quant (`bench --save` or Measure…): one user's measured speed, by which server, when.
pub fn headline_measured(lang: Lang, tok_s: f64, server: &str, date: &str) -> String {
    match lang {
        Lang::En => format!(
            "Measured on this machine: {tok_s:.1} tokens/s for one user ({server}, {date})."
        ),
        Lang::Zh => format!("本机实测：单用户 {tok_s:.1} token/s（{server}，{date}）。"),
    }
}

pub fn headline(
    lang: Lang,
    model: &str,
    quant: &str,
    level: crate::estimate::verdict::VerdictLevel,
    speed: &str,
) -> String {
    use crate::estimate::verdict::VerdictLevel::*;
    match lang {
        Lang::En => {
            let how = match level {
                Comfortable => "comfortably",
                Tight => "but tightly",
                Slow => "only slowly",
                DoesNotFit => return EN.none_fits.to_string(),
            };
            format!("This machine runs {model} {quant} {how}, about {speed} tokens/s.")
        }
        Lang::Zh => {
            let how = match level {
                Comfortable => "流畅",
                Tight => "勉强",
                Slow => "缓慢",
                DoesNotFit => return ZH.none_fits.to_string(),
            };
            format!("本机可{how}运行 {model} {quant}，约 {speed} token/s。")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_wan_in_chinese() {
        assert_eq!(format_amount(Lang::En, 1_234_567.0), "1,234,567");
        assert_eq!(format_amount(Lang::Zh, 1_450_000.0), "145.0 万");
        assert_eq!(format_amount(Lang::Zh, 250_000_000.0), "2.50 亿");
        assert_eq!(format_amount(Lang::Zh, 9_999.0), "9,999");
        assert_eq!(format_amount(Lang::En, -1500.0), "-1,500");
        assert_eq!(format_amount(Lang::En, f64::NAN), "0");
        let q = crate::catalog::schema::PriceQuote {
            currency: crate::catalog::schema::Currency::Cny,
            low: 190_000.0,
            high: 190_000.0,
            date: "2026-01".into(),
            source: String::new(),
            confidence: crate::catalog::schema::Confidence::Low,
        };
        assert_eq!(price(Lang::Zh, &q), "¥19.0 万 (2026-01，估计)");
        assert_eq!(price(Lang::En, &q), "¥190,000 (2026-01, estimate)");
    }
}
