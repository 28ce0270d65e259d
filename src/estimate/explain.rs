//! Plain sentences, in English or Chinese, that explain a fit and answer the common confusions:
//! what the attention caches and why V4's KV is small, why other tools show 158B, that active
//! parameters set speed and not memory, that `deepseek-r1:7b` is a distill, what the runtime's
//! support level means. Built from the catalog and the estimate; shown in the app's detail panel
//! and by `estimate`.

use super::kv::{KvCache, KvCacheType};
use super::Fit;
use crate::catalog::schema::{Runtime, SupportLevel, Tuning};
use crate::catalog::Catalog;
use crate::lang::Lang;

fn gb(bytes: f64) -> String {
    if bytes >= 10e9 {
        format!("{:.0} GB", bytes / 1e9)
    } else if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.0} MB", bytes / 1e6)
    }
}

/// What the attention layers cache, and how much one sequence holds at this context.
pub fn attention_layout(f: &Fit, lang: Lang) -> String {
    let a = &f.model.arch;
    let per_seq = gb(f.kv_bytes_per_sequence);
    let ctx = f.options.context;
    if let Some(c) = &a.compressed {
        let topk = a.indexer.as_ref().map_or(0, |ix| ix.topk);
        let kinds: Vec<String> = c
            .layer_kinds
            .iter()
            .map(|k| match (lang, k.reads_shared, k.ratio, k.indexed) {
                (Lang::En, true, ..) => format!("{} read a shared cache (top-{topk})", k.layers),
                (Lang::Zh, true, ..) => format!("{} 层读取共享缓存（top-{topk}）", k.layers),
                (Lang::En, false, 0, _) => format!("{} keep only the window", k.layers),
                (Lang::Zh, false, 0, _) => format!("{} 层只保留窗口", k.layers),
                (Lang::En, false, r, true) => {
                    format!(
                        "{} keep 1 entry per {r} tokens and attend to the top {topk}",
                        k.layers
                    )
                }
                (Lang::Zh, false, r, true) => {
                    format!(
                        "{} 层每 {r} 个 token 存 1 条、只关注最相关的 {topk} 条",
                        k.layers
                    )
                }
                (Lang::En, false, r, false) => format!("{} keep 1 entry per {r} tokens", k.layers),
                (Lang::Zh, false, r, false) => format!("{} 层每 {r} 个 token 存 1 条", k.layers),
            })
            .collect();
        let slope = f.kv_slope;
        return match lang {
            Lang::En => format!(
                "Compressed attention: every layer keeps the last {} tokens; of {} layers, {}. One sequence at {ctx} tokens holds {per_seq} of cache ({slope:.0} B per further token, {} layout).",
                c.sliding_window,
                a.layers,
                kinds.join(", "),
                f.kv_type
            ),
            Lang::Zh => format!(
                "压缩注意力：每层保留最近 {} 个 token；{} 层中，{}。一个 {ctx} token 的序列占用 {per_seq} 缓存（之后每个 token 约 {slope:.0} 字节，{} 布局）。",
                c.sliding_window,
                a.layers,
                kinds.join("，"),
                f.kv_type
            ),
        };
    }
    match (&a.mla, lang) {
        (Some(m), Lang::En) => format!(
            "Multi-head latent attention: each layer caches a {}-wide latent plus a {}-wide RoPE key per token{} — {per_seq} per sequence at {ctx} tokens, about 15× less than caching every head's K and V.",
            m.kv_lora_rank,
            m.qk_rope_head_dim,
            if a.indexer.is_some() {
                ", and an indexer key; decode attends to the top 2,048 tokens"
            } else {
                ""
            }
        ),
        (Some(m), Lang::Zh) => format!(
            "多头潜在注意力（MLA）：每层每个 token 只缓存 {} 维潜向量和 {} 维 RoPE 键{}——{ctx} token 的序列占用 {per_seq}，约为逐头缓存 K、V 的 1/15。",
            m.kv_lora_rank,
            m.qk_rope_head_dim,
            if a.indexer.is_some() {
                "，另有索引键；生成时只关注最相关的 2048 个 token"
            } else {
                ""
            }
        ),
        (None, Lang::En) => format!(
            "Grouped-query attention: {} KV heads × {} per layer — {per_seq} per sequence at {ctx} tokens.",
            a.kv_heads, a.head_dim
        ),
        (None, Lang::Zh) => format!(
            "分组查询注意力：每层 {} 个 KV 头 × {} 维——{ctx} token 的序列占用 {per_seq}。",
            a.kv_heads, a.head_dim
        ),
    }
}

/// What a checkpoint that is not chat-tuned does instead; `None` for chat models.
pub fn tuning(t: Tuning, lang: Lang) -> Option<String> {
    let s = match (t, lang) {
        (Tuning::Chat, _) => return None,
        (Tuning::Base, Lang::En) => "Not chat-tuned: a pretrained base model continues text and does not follow instructions; it is for fine-tuning and research, not an assistant.",
        (Tuning::Base, Lang::Zh) => "未经对话微调：预训练基座模型只会续写文本、不遵循指令；用于微调和研究，不能直接当助手用。",
        (Tuning::Zero, Lang::En) => "Not chat-tuned: R1-Zero is reinforcement learning straight from the base without supervised tuning; DeepSeek reports endless repetition, poor readability and language mixing. Use R1 as an assistant.",
        (Tuning::Zero, Lang::Zh) => "未经对话微调：R1-Zero 直接在基座上做强化学习、没有监督微调；DeepSeek 指出它会无限重复、可读性差、中英混杂。当助手请用 R1。",
        (Tuning::Prover, Lang::En) => "Not a chat model: tuned to write Lean 4 proofs (formal theorem proving).",
        (Tuning::Prover, Lang::Zh) => "不是对话模型：专门用于编写 Lean 4 证明（形式化定理证明）。",
    };
    Some(s.to_string())
}

/// The common confusions that apply to this fit, one sentence each.
pub fn confusions(f: &Fit, lang: Lang) -> Vec<String> {
    let m = f.model;
    let p = &f.params;
    let mut out = Vec::new();
    let total = p.total() / 1e9;
    if let Some(t) = tuning(m.tuning, lang) {
        out.push(t);
    }
    if let Some(shown) = m.hf_displayed_params_b {
        out.push(match lang {
            Lang::En => format!(
                "Other tools show {shown:.0}B: Hugging Face's page counted the packed FP4 experts (two weights per byte) as one parameter per byte, or counted the speculative-decoding stages. The model has {total:.0}B parameters."
            ),
            Lang::Zh => format!(
                "别的工具显示 {shown:.0}B：Hugging Face 页面把打包的 FP4 专家权重（每字节两个参数）按每字节一个参数计算，或计入了推测解码模块。模型实际参数量为 {total:.0}B。"
            ),
        });
    }
    if p.routed_experts > 0.0 {
        let active = p.active() / 1e9;
        out.push(match lang {
            Lang::En => format!(
                "Active parameters ({active:.1}B per token) set the speed, not the memory: all {total:.0}B must be loaded (or streamed), so \"{active:.0}B active\" does not mean it fits a {:.0} GB card.",
                (active * 1.2).ceil()
            ),
            Lang::Zh => format!(
                "激活参数（每个 token {active:.1}B）决定速度而不是内存：全部 {total:.0}B 都要加载（或流式读取），所以“激活 {active:.0}B”并不意味着 {:.0} GB 显卡放得下。",
                (active * 1.2).ceil()
            ),
        });
    }
    if p.engram > 0.0 {
        out.push(match lang {
            Lang::En => format!(
                "{:.0}B of its parameters are Engram lookup tables: a few rows are read per token, so they can sit in RAM or on disk at little cost to speed.",
                p.engram / 1e9
            ),
            Lang::Zh => format!(
                "其中 {:.0}B 参数是 Engram 查找表：每个 token 只读几行，可以放在内存或磁盘上，对速度影响很小。",
                p.engram / 1e9
            ),
        });
    }
    if let Some(base) = &m.distilled_into {
        let tag = m.ollama_tags.first().map_or(m.id.as_str(), String::as_str);
        out.push(match lang {
            Lang::En => format!(
                "`{tag}` is {base} fine-tuned on R1's outputs (a distill), not DeepSeek-R1 itself (671B)."
            ),
            Lang::Zh => format!(
                "`{tag}` 是用 R1 的输出微调的 {base}（蒸馏模型），不是 DeepSeek-R1 本体（671B）。"
            ),
        });
    }
    if m.routed_native_bpw.is_some() {
        out.push(match lang {
            Lang::En => "Its experts are released at 4.25 bits (MXFP4): a 4-bit GGUF is barely smaller than the release; real savings need 2–3-bit experts.".to_string(),
            Lang::Zh => "它的专家权重发布时就是 4.25 位（MXFP4）：4 位 GGUF 几乎不比原版小，真正省内存要用 2–3 位专家量化。".to_string(),
        });
    }
    if m.arch.compressed.is_some() {
        if let Ok(v32) = Catalog::get().model("deepseek-v3.2") {
            let million = 1_048_576.0;
            let mine = KvCache::new(&m.arch, f.options.runtime, f.kv_type).bytes(million);
            // Compared at the same precision: FP8 against V3.2's FP8 layout, else 16-bit.
            let v32_kv = if f.kv_type == KvCacheType::Fp8 {
                KvCacheType::Fp8
            } else {
                KvCacheType::F16
            };
            let old = KvCache::new(&v32.arch, Runtime::Vllm, v32_kv).bytes(million);
            out.push(match lang {
                Lang::En => format!(
                    "Long context is cheap here: a million tokens of cache is {} per sequence on this runtime, against {} for V3.2's latent cache.",
                    gb(mine),
                    gb(old)
                ),
                Lang::Zh => format!(
                    "长上下文很便宜：在该推理框架下 100 万 token 的缓存每个序列只需 {}，而 V3.2 的潜向量缓存需要 {}。",
                    gb(mine),
                    gb(old)
                ),
            });
        }
    }
    if let Some(r) = m.runtimes.iter().find(|r| r.runtime == f.options.runtime) {
        let name = f.options.runtime.cli_name();
        out.push(match (r.level, lang) {
            (SupportLevel::Mainline, Lang::En) => format!("{name} runs it since {}.", r.since),
            (SupportLevel::Mainline, Lang::Zh) => format!("{name} 自 {} 起支持该模型。", r.since),
            (SupportLevel::Fork, Lang::En) => format!(
                "{name} runs it only in a fork ({}): build that fork yourself.",
                r.since
            ),
            (SupportLevel::Fork, Lang::Zh) => format!(
                "{name} 只有分支版本支持（{}），需要自行编译该分支。",
                r.since
            ),
        });
        out.extend(r.notes.iter().cloned());
    }
    out
}

/// For a quant that is not one of the model's published files: "not a file we know of", how its
/// size was estimated and the nearest file that exists; for a recipe sized from another release
/// of the architecture, which. `None` for a published file.
pub fn file_note(f: &Fit, lang: Lang) -> Option<String> {
    use super::weights::{nearest_known_file, WeightsBasis};
    let (m, q) = (f.model, f.quant);
    if f.weights.basis == WeightsBasis::Sibling {
        return Some(match lang {
            Lang::En => format!(
                "{} of {} is sized from the published {} file of another release of the same architecture.",
                q.id, m.id, q.id
            ),
            Lang::Zh => format!(
                "{} 的 {} 大小取自同一架构另一版本已发布的 {} 文件。",
                m.id, q.id, q.id
            ),
        });
    }
    if super::is_known_file(m, q) {
        return None;
    }
    let nearest = nearest_known_file(Catalog::get(), m, &f.params, f.weights.bytes);
    Some(match (lang, nearest) {
        (Lang::En, Some((n, bytes))) => format!(
            "{} of {} is not a file we know of: its size is estimated from bits per weight per tensor group. Nearest published file: {} ({}).",
            q.id, m.id, n.id, gb(bytes)
        ),
        (Lang::Zh, Some((n, bytes))) => format!(
            "{} 的 {} 不是已知的发布文件：大小按各张量组的每权重比特数估算。最接近的已发布文件：{}（{}）。",
            m.id, q.id, n.id, gb(bytes)
        ),
        (Lang::En, None) => format!(
            "{} of {} is not a file we know of: its size is estimated from bits per weight per tensor group.",
            q.id, m.id
        ),
        (Lang::Zh, None) => format!(
            "{} 的 {} 不是已知的发布文件：大小按各张量组的每权重比特数估算。",
            m.id, q.id
        ),
    })
}

/// The placement's tiers in one line: "experts of 24 of 43 layers on the GPU; 52 GB of experts in
/// RAM; 30 GB streamed from disk (cache 20 GB in RAM, ~90% hit, estimate)".
pub fn tier_split(f: &Fit, lang: Lang) -> String {
    use super::placement::PlacementKind;
    let e = &f.placement.experts;
    let mut parts = Vec::new();
    if f.placement.nodes > 1 {
        parts.push(match lang {
            Lang::En => format!("across {} boxes", f.placement.nodes),
            Lang::Zh => format!("分布在 {} 台机器上", f.placement.nodes),
        });
    }
    if !matches!(
        f.placement.kind,
        PlacementKind::ExpertOffload | PlacementKind::SsdStream
    ) {
        return parts.join(match lang {
            Lang::En => "; ",
            Lang::Zh => "；",
        });
    }
    if e.per_layer_on_gpu > 0 {
        parts.push(match lang {
            Lang::En => format!("{} experts of every layer on the GPU", e.per_layer_on_gpu),
            Lang::Zh => format!("每层 {} 个专家在 GPU", e.per_layer_on_gpu),
        });
    } else if f.placement.gpus_used > 0
        && super::tiers::support(f.options.runtime).gpu_experts
            == super::tiers::GpuExperts::WholeLayers
    {
        parts.push(match lang {
            Lang::En => format!(
                "experts of {} of {} layers on the GPU",
                e.layers_on_gpu, e.moe_layers
            ),
            Lang::Zh => format!("{} 层中 {} 层的专家在 GPU", e.moe_layers, e.layers_on_gpu),
        });
    }
    if e.ram > 0.0 {
        parts.push(match lang {
            Lang::En => format!("{} of experts in RAM", gb(e.ram)),
            Lang::Zh => format!("{} 专家在内存", gb(e.ram)),
        });
    }
    if e.streamed > 0.0 {
        let home = match (e.cache_home, lang) {
            (Some(super::tiers::CacheHome::Gpu), Lang::En) => "GPU memory",
            (Some(super::tiers::CacheHome::Gpu), Lang::Zh) => "显存",
            (_, Lang::En) => "RAM",
            (_, Lang::Zh) => "内存",
        };
        parts.push(match lang {
            Lang::En => format!(
                "{} streamed from disk (cache {} in {home}, ~{:.0}% of reads hit it, estimate)",
                gb(e.streamed),
                gb(e.cache),
                e.hit_rate * 100.0
            ),
            Lang::Zh => format!(
                "{} 从磁盘流式读取（{home}缓存 {}，约 {:.0}% 命中，估计值）",
                gb(e.streamed),
                gb(e.cache),
                e.hit_rate * 100.0
            ),
        });
    }
    match lang {
        Lang::En => parts.join("; "),
        Lang::Zh => parts.join("；"),
    }
}
