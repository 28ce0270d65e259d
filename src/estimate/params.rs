//! Parameter counts computed from the architecture numbers (the same formulas as models.md §1
//! "Derived parameter check": V3/R1 671.03B total, 37.55B active).

use crate::catalog::schema::{Architecture, CompressedAttention, LayerKind};

/// Parameters by tensor group. Layer norms are counted with attention.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ParamCounts {
    /// Token embedding matrix.
    pub embed: f64,
    /// Output head (0 when tied to the embedding).
    pub output: f64,
    /// Attention projections and norms of every layer, plus the final norm and any DSA indexer.
    pub attention: f64,
    /// FFNs of the dense layers (all layers of a dense model; the first k of a MoE model).
    pub dense_ffn: f64,
    /// Shared experts of the MoE layers.
    pub shared_experts: f64,
    /// All routed experts of all MoE layers.
    pub routed_experts: f64,
    /// Expert routers (gate weights and bias).
    pub router: f64,
    /// Multi-token-prediction layers (in the official checkpoint, unused for plain decoding),
    /// excluding their copies of the embedding and head.
    pub mtp_body: f64,
    /// The routed experts inside `mtp_body`.
    pub mtp_routed: f64,
    /// The MTP layers' own copies of the embedding and output head.
    pub mtp_embed_copies: f64,
    /// Engram n-gram tables (V4.1): looked up a few rows per token.
    pub engram: f64,
    /// Vision encoder (read per image, not per token).
    pub vision: f64,
    /// Fraction of routed experts one token uses (experts_per_token / routed_experts); 1 for dense.
    pub routed_active_fraction: f64,
    /// Number of MoE layers.
    pub moe_layers: u32,
}

impl ParamCounts {
    /// Parameters of the main model (what "671B" and "284B" count): everything but the MTP layers,
    /// Engram tables and a vision encoder (V4.1's "552B backbone").
    pub fn total(&self) -> f64 {
        self.embed
            + self.output
            + self.attention
            + self.dense_ffn
            + self.shared_experts
            + self.routed_experts
            + self.router
    }

    /// Parameters one token touches: everything but the unused routed experts (embedding and
    /// head included, as in DeepSeek's 37B figure).
    pub fn active(&self) -> f64 {
        self.total() - self.routed_experts * (1.0 - self.routed_active_fraction)
    }

    /// Everything the checkpoint holds: the main model plus MTP layers, Engram and vision.
    pub fn checkpoint(&self) -> f64 {
        self.total() + self.mtp_body + self.mtp_embed_copies + self.engram + self.vision
    }

    /// Weights of the transformer body: total without embedding and head.
    pub fn body(&self) -> f64 {
        self.total() - self.embed - self.output
    }

    /// Body weights that stay on the GPU under MoE expert offload: everything but routed experts.
    pub fn body_without_routed(&self) -> f64 {
        self.body() - self.routed_experts
    }
}

fn f(x: u32) -> f64 {
    f64::from(x)
}

/// V4 attention of one layer without its compressor: low-rank query into `heads` × latent, one
/// shared latent for K and V, grouped low-rank output, attention sinks, and the F32 hyper-connection
/// mixers of the attention and FFN sub-blocks (models-2026.md §2b).
fn compressed_attention_core(a: &Architecture, c: &CompressedAttention) -> f64 {
    let h = f(a.hidden);
    let q =
        h * f(c.q_lora_rank) + f(c.q_lora_rank) + f(c.q_lora_rank) * f(a.heads) * f(c.latent_dim);
    let kv = h * f(c.latent_dim) + f(c.latent_dim);
    let o = f(a.heads) * f(c.latent_dim) * f(c.o_lora_rank) + h * f(c.o_groups) * f(c.o_lora_rank);
    let sinks = f(a.heads);
    let hc = f(c.hc_mult);
    let mix = (2.0 + hc) * hc;
    let hyper = 2.0 * (mix * hc * h + mix + 3.0);
    q + kv + o + sinks + hyper
}

/// The compressor (and, on indexed layers, the lightning indexer with its own compressor) of one
/// layer that owns a compressed cache: gated projections to `coff` × width, per-position
/// embeddings and a norm; overlapping CSA windows (ratio 4) have coff = 2.
fn compressor_params(a: &Architecture, c: &CompressedAttention, k: &LayerKind) -> f64 {
    if k.ratio == 0 || k.reads_shared {
        return 0.0;
    }
    let h = f(a.hidden);
    let coff = if k.ratio == 4 { 2.0 } else { 1.0 };
    let squeeze = |width: f64| 2.0 * h * coff * width + f(k.ratio) * coff * width + width;
    let main = squeeze(f(c.latent_dim));
    let indexer = match (&a.indexer, k.indexed) {
        (Some(ix), true) => {
            f(c.q_lora_rank) * f(ix.heads) * f(ix.head_dim)
                + h * f(ix.heads)
                + squeeze(f(ix.head_dim))
        }
        _ => 0.0,
    };
    main + indexer
}

/// Attention parameters of one layer, including its two RMSNorms.
fn attention_per_layer(a: &Architecture) -> f64 {
    let h = f(a.hidden);
    let norms = 2.0 * h;
    if let Some(c) = &a.compressed {
        return compressed_attention_core(a, c) + norms;
    }
    let core = match &a.mla {
        Some(m) => {
            let qk = f(m.qk_nope_head_dim + m.qk_rope_head_dim);
            let q = match m.q_lora_rank {
                Some(r) if r > 0 => h * f(r) + f(r) + f(r) * f(a.heads) * qk,
                _ => h * f(a.heads) * qk,
            };
            let kv_a = h * f(m.kv_lora_rank + m.qk_rope_head_dim) + f(m.kv_lora_rank);
            let kv_b = f(m.kv_lora_rank) * f(a.heads) * f(m.qk_nope_head_dim + m.v_head_dim);
            let o = f(a.heads) * f(m.v_head_dim) * h;
            let indexer = a.indexer.as_ref().map_or(0.0, |ix| {
                let q_in = m.q_lora_rank.map_or(h, f);
                q_in * f(ix.heads) * f(ix.head_dim)
                    + h * f(ix.head_dim)
                    + 2.0 * f(ix.head_dim)
                    + h * f(ix.heads)
            });
            q + kv_a + kv_b + o + indexer
        }
        None => {
            let hd = f(a.head_dim);
            let q = h * f(a.heads) * hd;
            let kv = 2.0 * h * f(a.kv_heads) * hd;
            let o = f(a.heads) * hd * h;
            let bias = if a.attention_bias {
                f(a.heads) * hd + 2.0 * f(a.kv_heads) * hd
            } else {
                0.0
            };
            let qk_norm = if a.qk_norm { 2.0 * hd } else { 0.0 };
            q + kv + o + bias + qk_norm
        }
    };
    core + norms
}

/// Counts parameters by group for an architecture.
pub fn count(a: &Architecture) -> ParamCounts {
    let h = f(a.hidden);
    let embed = f(a.vocab) * h;
    let output = if a.tied_embeddings { 0.0 } else { embed };
    let attn_layer = attention_per_layer(a);
    let compressors: f64 = a.compressed.as_ref().map_or(0.0, |c| {
        c.layer_kinds
            .iter()
            .map(|k| f(k.layers) * compressor_params(a, c, k))
            .sum()
    });
    let attention = attn_layer * f(a.layers) + compressors + h;
    let engram = a.engram.as_ref().map_or(0.0, |e| e.rows as f64 * f(e.dim));
    let dense_ffn_layer = 3.0 * h * f(a.intermediate);
    match &a.moe {
        None => ParamCounts {
            embed,
            output,
            attention,
            dense_ffn: dense_ffn_layer * f(a.layers),
            routed_active_fraction: 1.0,
            engram,
            vision: a.vision_params,
            ..ParamCounts::default()
        },
        Some(moe) => {
            let dense_layers = moe.first_dense_layers.min(a.layers);
            let moe_layers = a.layers - dense_layers;
            let expert = 3.0 * h * f(moe.expert_intermediate);
            let routed_layer = f(moe.routed_experts) * expert;
            let shared_layer = f(moe.shared_experts) * expert;
            let router_layer = f(moe.routed_experts) * h + f(moe.routed_experts);
            // One MTP layer = a MoE layer + projection of [hidden; embedding] (2h × h) + 3 norms;
            // V4.1's DSpark blocks carry their own, smaller expert set.
            let mtp_experts = f(a.mtp_routed_experts.unwrap_or(moe.routed_experts));
            let mtp_layer = attn_layer
                + mtp_experts * expert
                + shared_layer
                + mtp_experts * (h + 1.0)
                + 2.0 * h * h
                + 3.0 * h;
            ParamCounts {
                embed,
                output,
                attention,
                dense_ffn: dense_ffn_layer * f(dense_layers),
                shared_experts: shared_layer * f(moe_layers),
                routed_experts: routed_layer * f(moe_layers),
                router: router_layer * f(moe_layers),
                mtp_body: mtp_layer * f(a.mtp_layers),
                mtp_routed: mtp_experts * expert * f(a.mtp_layers),
                // V3's MTP layer stores its own embedding and head; V4's MTP/DSpark stages share
                // the main model's (DERIVED: the V4-Flash-0731 checkpoint, 3 stages, is 166.9 GB).
                mtp_embed_copies: if a.compressed.is_some() {
                    0.0
                } else {
                    2.0 * embed * f(a.mtp_layers)
                },
                routed_active_fraction: f(moe.experts_per_token) / f(moe.routed_experts),
                moe_layers,
                engram,
                vision: a.vision_params,
            }
        }
    }
}
