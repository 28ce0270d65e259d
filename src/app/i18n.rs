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
    pub model: &'static str,
    pub click_a_cell: &'static str,
    pub weights: &'static str,
    pub kv_cache: &'static str,
    pub overhead: &'static str,
    pub total: &'static str,
    pub gpu_memory: &'static str,
    pub placement: &'static str,
    pub speed: &'static str,
    pub speed_assumes: &'static str,
    pub prefill: &'static str,
    pub quality: &'static str,
    pub no_scores: &'static str,
    pub would_fit_if: &'static str,
    pub launch: &'static str,
    pub copy: &'static str,
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
    model: "Model",
    click_a_cell: "Click a cell for its memory, speed and launch command.",
    weights: "Weights",
    kv_cache: "KV cache",
    overhead: "Overhead",
    total: "Total",
    gpu_memory: "GPU memory",
    placement: "Placement",
    speed: "Decode speed",
    speed_assumes: "Assumes a sequence half-way through the context, batch 1, efficiencies calibrated on published measurements.",
    prefill: "Prefill (512-token prompt)",
    quality: "Official scores",
    no_scores: "No official scores published.",
    would_fit_if: "Would fit if you",
    launch: "Launch command",
    copy: "Copy",
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
    model: "模型",
    click_a_cell: "点击单元格查看内存、速度和启动命令。",
    weights: "权重",
    kv_cache: "KV 缓存",
    overhead: "额外开销",
    total: "合计",
    gpu_memory: "显存",
    placement: "放置方式",
    speed: "生成速度",
    speed_assumes: "按上下文过半、批大小 1 计算；效率系数用公开测量值校准。",
    prefill: "预填充（512 token 提示词）",
    quality: "官方评测",
    no_scores: "没有公开的官方评测。",
    would_fit_if: "这样就能运行：",
    launch: "启动命令",
    copy: "复制",
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
};

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

/// The verdict sentence at the top of the Verdict tab.
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
