//! Weight bytes of a model in a quantization: Σ over tensor groups of params × bits / 8.

use super::params::ParamCounts;
use crate::catalog::schema::{ModelEntry, QuantEntry};

/// How the weight figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsBasis {
    /// Computed from parameter counts and the quant's bits per weight.
    Formula,
    /// The model's published file size for a mixed-precision recipe (Unsloth dynamic quants).
    Published,
    /// Read from a model file's header: the exact bytes of its tensors.
    File,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Bytes the runtime holds in memory.
    pub bytes: f64,
    /// Bytes of the routed experts alone (0 for dense models): what MoE offload moves to RAM.
    pub routed_expert_bytes: f64,
    /// Bytes of the embedding matrix (looked up one row per token, never streamed).
    pub embed_bytes: f64,
    /// Bytes of the output head (read in full for every token).
    pub output_bytes: f64,
    pub basis: WeightsBasis,
    /// The model's published file size for this quant, where a trusted one exists.
    pub published_bytes: Option<f64>,
}

impl Weights {
    /// Bytes of the repeating layers (what layer split and partial offload distribute).
    pub fn layer_bytes(&self) -> f64 {
        (self.bytes - self.embed_bytes - self.output_bytes).max(0.0)
    }
}

/// Computed weight bytes without looking at published sizes.
pub fn formula_bytes(p: &ParamCounts, q: &QuantEntry) -> (f64, f64, f64, f64) {
    let body = p.body() * q.body_bpw / 8.0;
    let embed = p.embed * q.embed_bpw / 8.0;
    let output = p.output * q.output_bpw / 8.0;
    let mtp = if q.includes_mtp {
        p.mtp_body * q.body_bpw / 8.0 + p.mtp_embed_copies * q.embed_bpw.max(q.output_bpw) / 8.0
    } else {
        0.0
    };
    let routed = p.routed_experts * q.body_bpw / 8.0;
    (body + embed + output + mtp, routed, embed, output)
}

/// The published size of `model` in `quant` where the catalog holds a trusted one.
pub fn published_bytes(model: &ModelEntry, quant: &QuantEntry) -> Option<f64> {
    model
        .published_sizes
        .iter()
        .filter(|s| s.quant.eq_ignore_ascii_case(&quant.id) && !s.confidence.is_estimate())
        .map(|s| s.bytes())
        .next()
}

/// Weight bytes of `model` in `quant`. Mixed-precision recipes use the published size where the
/// model has one (scaling the expert share by the same factor).
pub fn weights(model: &ModelEntry, p: &ParamCounts, quant: &QuantEntry) -> Weights {
    let (bytes, routed, embed, output) = formula_bytes(p, quant);
    let published = published_bytes(model, quant);
    match published {
        Some(pb) if quant.sized_by_publication && bytes > 0.0 => {
            let scale = pb / bytes;
            Weights {
                bytes: pb,
                routed_expert_bytes: routed * scale,
                embed_bytes: embed * scale,
                output_bytes: output * scale,
                basis: WeightsBasis::Published,
                published_bytes: published,
            }
        }
        _ => Weights {
            bytes,
            routed_expert_bytes: routed,
            embed_bytes: embed,
            output_bytes: output,
            basis: WeightsBasis::Formula,
            published_bytes: published,
        },
    }
}
