//! Weight bytes of a model in a quantization: Σ over tensor groups of params × bits / 8, each group
//! at the type the recipe stores it in (V4's released checkpoints: MXFP4 routed experts, FP8
//! attention and shared experts, BF16 embedding and head; V4.1 adds FP8 Engram tables).

use super::params::ParamCounts;
use crate::catalog::schema::{ModelEntry, QuantEntry, QuantFormat};

/// How the weight figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsBasis {
    /// Computed from parameter counts and the quant's bits per weight.
    Formula,
    /// The model's published file size for a mixed-precision recipe (Unsloth dynamic quants, the
    /// fixed set of V4 releases).
    Published,
    /// Read from a model file's header: the exact bytes of its tensors.
    File,
    /// The published size of the same recipe for a model of the same architecture (V4-Flash's
    /// unsloth files for V4-Flash-0731).
    Sibling,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Bytes the runtime holds (every group below included).
    pub bytes: f64,
    /// Bytes of the main model's routed experts (0 for dense models): what MoE offload moves to
    /// RAM and SSD streaming reads from disk.
    pub routed_expert_bytes: f64,
    /// Bytes of the embedding matrix (looked up one row per token, never streamed).
    pub embed_bytes: f64,
    /// Bytes of the output head (read in full for every token).
    pub output_bytes: f64,
    /// Bytes of MTP / DSpark layers: resident, read only when decoding speculatively.
    pub mtp_bytes: f64,
    /// Bytes of Engram tables (V4.1): a few rows per token, so they can live in RAM or on disk.
    pub engram_bytes: f64,
    /// Bytes of a vision encoder in the checkpoint (read per image).
    pub vision_bytes: f64,
    pub basis: WeightsBasis,
    /// The model's published file size for this quant, where a trusted one exists.
    pub published_bytes: Option<f64>,
}

impl Weights {
    /// Bytes of the repeating layers (what layer split and partial offload distribute).
    pub fn layer_bytes(&self) -> f64 {
        (self.bytes - self.embed_bytes - self.output_bytes).max(0.0)
    }

    /// Bytes read for every decoded token whatever the batch: everything but the embedding table,
    /// the routed experts (a batch touches a share of them), MTP layers, Engram and vision.
    pub fn dense_streamed_bytes(&self) -> f64 {
        (self.bytes
            - self.embed_bytes
            - self.routed_expert_bytes
            - self.mtp_bytes
            - self.engram_bytes
            - self.vision_bytes)
            .max(0.0)
    }
}

/// Bits per weight of the routed experts: the recipe's, except that GGUF conversions keep
/// experts released at a narrower width at that width (V4's MXFP4 experts stay MXFP4 in
/// UD-Q8_K_XL and in V4.1's Q8_0, models-2026.md §5.1).
pub fn routed_bpw(model: &ModelEntry, quant: &QuantEntry) -> f64 {
    let recipe = quant.routed_bpw.unwrap_or(quant.body_bpw);
    match (quant.format, model.routed_native_bpw) {
        (QuantFormat::Gguf, Some(native)) => recipe.min(native),
        _ => recipe,
    }
}

/// Computed weight bytes without looking at published sizes.
pub fn formula(model: &ModelEntry, p: &ParamCounts, q: &QuantEntry) -> Weights {
    let routed_bits = routed_bpw(model, q);
    let body = (p.body() - p.routed_experts) * q.body_bpw / 8.0;
    let routed = p.routed_experts * routed_bits / 8.0;
    let embed = p.embed * q.embed_bpw / 8.0;
    let output = p.output * q.output_bpw / 8.0;
    let mtp = if q.includes_mtp {
        // MTP layers: their routed experts at the expert width, the rest at the body's.
        (p.mtp_routed * routed_bits + (p.mtp_body - p.mtp_routed) * q.body_bpw) / 8.0
            + p.mtp_embed_copies * q.embed_bpw.max(q.output_bpw) / 8.0
    } else {
        0.0
    };
    let engram = p.engram * q.engram_bpw.unwrap_or(q.body_bpw) / 8.0;
    // Safetensors checkpoints carry the vision tower in BF16; GGUF puts it in a separate mmproj.
    let vision = match q.format {
        QuantFormat::Safetensors => p.vision * 2.0,
        QuantFormat::Gguf => 0.0,
    };
    Weights {
        bytes: body + routed + embed + output + mtp + engram + vision,
        routed_expert_bytes: routed,
        embed_bytes: embed,
        output_bytes: output,
        mtp_bytes: mtp,
        engram_bytes: engram,
        vision_bytes: vision,
        basis: WeightsBasis::Formula,
        published_bytes: None,
    }
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

/// Two releases of one architecture (V4-Pro and V4-Pro-0813; V3 and R1): everything but the MTP
/// or DSpark layers is the same.
pub fn same_architecture(a: &ModelEntry, b: &ModelEntry) -> bool {
    let (x, y) = (&a.arch, &b.arch);
    x.layers == y.layers
        && x.hidden == y.hidden
        && x.heads == y.heads
        && x.vocab == y.vocab
        && x.moe == y.moe
        && x.mla == y.mla
        && x.compressed == y.compressed
        && x.engram == y.engram
}

/// The published size of a mixed recipe (`sized_by_publication`) for another release of the same
/// architecture, where `model` has none of its own.
fn sibling_bytes(model: &ModelEntry, quant: &QuantEntry) -> Option<f64> {
    if !quant.sized_by_publication {
        return None;
    }
    crate::catalog::Catalog::get()
        .models
        .models
        .iter()
        .filter(|m| m.id != model.id && same_architecture(m, model))
        .find_map(|m| published_bytes(m, quant))
}

/// Weight bytes of `model` in `quant`. Mixed-precision recipes — quants sized by publication, and
/// every file of a model that lists its releases — use the published size where there is one (or,
/// for a recipe, the size of the same file of another release of the architecture), scaling each
/// group by the same factor.
pub fn weights(model: &ModelEntry, p: &ParamCounts, quant: &QuantEntry) -> Weights {
    let mut w = formula(model, p, quant);
    let published = published_bytes(model, quant);
    w.published_bytes = published;
    let by_publication = quant.sized_by_publication || !model.quants.is_empty();
    let (size, basis) = match published {
        Some(pb) => (Some(pb), WeightsBasis::Published),
        None => (sibling_bytes(model, quant), WeightsBasis::Sibling),
    };
    match size {
        Some(pb) if by_publication && w.bytes > 0.0 => {
            let scale = pb / w.bytes;
            Weights {
                bytes: pb,
                routed_expert_bytes: w.routed_expert_bytes * scale,
                embed_bytes: w.embed_bytes * scale,
                output_bytes: w.output_bytes * scale,
                mtp_bytes: w.mtp_bytes * scale,
                engram_bytes: w.engram_bytes * scale,
                vision_bytes: w.vision_bytes * scale,
                basis,
                published_bytes: published,
            }
        }
        _ => w,
    }
}

/// Bits per weight beyond which quality no longer improves: 8-bit weights — Q8_0 ("practically
/// lossless", quants.ron S14a) and FP8, the native format of the 671B family and V4's dense part.
pub const LOSSLESS_BPW: f64 = 8.0;

/// The quality a quant keeps, as bits per parameter averaged over the model's tensor groups, each
/// group counted at most at `LOSSLESS_BPW` and the routed experts at most at their released width
/// (an FP8 requant of V4 is no better than its 4.25-bit release). Used to rank quants; not a
/// benchmark.
pub fn quality_bits(model: &ModelEntry, p: &ParamCounts, q: &QuantEntry) -> f64 {
    let cap = |bits: f64| bits.min(LOSSLESS_BPW);
    let routed = cap(match model.routed_native_bpw {
        Some(native) => routed_bpw(model, q).min(native),
        None => routed_bpw(model, q),
    });
    let body = p.body() - p.routed_experts;
    let groups = [
        (body, cap(q.body_bpw)),
        (p.routed_experts, routed),
        (p.embed, cap(q.embed_bpw)),
        (p.output, cap(q.output_bpw)),
        (p.engram, cap(q.engram_bpw.unwrap_or(q.body_bpw))),
    ];
    let params: f64 = groups.iter().map(|g| g.0).sum();
    if params > 0.0 {
        groups.iter().map(|g| g.0 * g.1).sum::<f64>() / params
    } else {
        0.0
    }
}

/// The published file of `model` closest in size to `bytes` (its own files; for a model whose
/// files converters make freely, none): what "not a file we know of" points to.
pub fn nearest_known_file<'a>(
    catalog: &'a crate::catalog::Catalog,
    model: &ModelEntry,
    p: &ParamCounts,
    bytes: f64,
) -> Option<(&'a QuantEntry, f64)> {
    model
        .quants
        .iter()
        .filter_map(|id| catalog.quant(id).ok())
        .map(|q| (q, weights(model, p, q).bytes))
        .min_by(|a, b| (a.1 - bytes).abs().total_cmp(&(b.1 - bytes).abs()))
}
