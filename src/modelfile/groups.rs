//! Which part of the model a tensor belongs to, from its name (GGUF `blk.N.ffn_down_exps.weight`
//! or Hugging Face `model.layers.N.mlp.experts.E.down_proj.weight`), and exact bytes summed by
//! group and by storage type. Block scales (`weight_scale_inv`) follow their weight.

use super::tensor::Tensor;
use std::collections::BTreeMap;

/// Tensor groups, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Token embedding table (one row read per token).
    Embedding,
    /// Attention projections, every norm, rope tables, DSA indexer, V4 compressor and
    /// hyper-connection mixers.
    Attention,
    /// FFNs of dense layers.
    DenseFfn,
    SharedExperts,
    RoutedExperts,
    /// Expert routers: gate weights, score-correction bias, hash tables.
    Router,
    /// Output head (`output.weight`, `lm_head`).
    Output,
    /// Multi-token-prediction (nextn) and draft layers shipped with the model.
    Mtp,
    /// V4.1 Engram lookup tables.
    Engram,
    /// Vision (and audio) encoders and projectors.
    Vision,
    /// Anything else.
    Other,
}

impl Group {
    pub const ALL: [Group; 11] = [
        Group::Embedding,
        Group::Attention,
        Group::DenseFfn,
        Group::SharedExperts,
        Group::RoutedExperts,
        Group::Router,
        Group::Output,
        Group::Mtp,
        Group::Engram,
        Group::Vision,
        Group::Other,
    ];

    /// The spelling in JSON output.
    pub fn json_name(self) -> &'static str {
        match self {
            Group::Embedding => "embedding",
            Group::Attention => "attention",
            Group::DenseFfn => "dense_ffn",
            Group::SharedExperts => "shared_experts",
            Group::RoutedExperts => "routed_experts",
            Group::Router => "router",
            Group::Output => "output",
            Group::Mtp => "mtp",
            Group::Engram => "engram",
            Group::Vision => "vision",
            Group::Other => "other",
        }
    }
}

/// The layer number after `blk.` or `layers.`, if any.
pub fn layer_of(name: &str) -> Option<u64> {
    for marker in ["blk.", "layers."] {
        if let Some(i) = name.find(marker) {
            let rest = &name[i + marker.len()..];
            let digits: &str = &rest[..rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len())];
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
    }
    None
}

fn any(name: &str, parts: &[&str]) -> bool {
    parts.iter().any(|p| name.contains(p))
}

/// The group of tensor `name`. Layers numbered `mtp_from` or higher are MTP layers (GGUF:
/// `block_count − nextn_predict_layers`; Hugging Face: `num_hidden_layers`).
pub fn classify(name: &str, mtp_from: Option<u64>) -> Group {
    let n = name.to_ascii_lowercase();
    let layer = layer_of(&n);
    if any(&n, &["engram"]) {
        return Group::Engram;
    }
    if n.starts_with("v.")
        || n.starts_with("mm.")
        || n.starts_with("a.")
        || any(
            &n,
            &["vision", "visual", "multi_modal_projector", "mm_projector"],
        )
    {
        return Group::Vision;
    }
    if n.starts_with("mtp.")
        || any(&n, &["nextn", "dspark"])
        || matches!((layer, mtp_from), (Some(l), Some(m)) if l >= m)
    {
        return Group::Mtp;
    }
    if n.starts_with("token_embd")
        || n.starts_with("per_layer_token_embd")
        || any(&n, &["embed_tokens", "wte."])
        || n == "embed.weight"
    {
        return Group::Embedding;
    }
    if n.starts_with("output.") || n.starts_with("lm_head") || n == "head.weight" {
        return Group::Output;
    }
    if layer.is_none() {
        // Final norms and rope tables sit outside the layers; anything else is unknown.
        return if any(&n, &["norm", "rope"]) {
            Group::Attention
        } else {
            Group::Other
        };
    }
    if any(
        &n,
        &[
            "ffn_gate_inp",
            "exp_probs_b",
            "tid2eid",
            "shared_expert_gate",
        ],
    ) || any(&n, &[".mlp.gate.", ".ffn.gate.", "block_sparse_moe.gate."])
    {
        return Group::Router;
    }
    if any(&n, &["_exps", "_chexps", ".experts."]) {
        return Group::RoutedExperts;
    }
    if any(&n, &["_shexp", "shared_expert"]) {
        return Group::SharedExperts;
    }
    // Old GGUF MoE files store one tensor per expert: `blk.N.ffn_up.E.weight`.
    if any(&n, &["ffn_gate.", "ffn_up.", "ffn_down."])
        && n.split('.')
            .rev()
            .nth(1)
            .is_some_and(|s| s.chars().all(|c| c.is_ascii_digit()))
    {
        return Group::RoutedExperts;
    }
    if any(
        &n,
        &[
            "ffn_gate",
            "ffn_up",
            "ffn_down",
            ".mlp.",
            ".ffn.",
            "feed_forward",
        ],
    ) {
        return Group::DenseFfn;
    }
    Group::Attention
}

/// Bytes and elements of one group × storage type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amount {
    pub bytes: u64,
    pub elements: u64,
}

/// Exact bytes by group and storage type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Breakdown {
    pub cells: BTreeMap<(Group, &'static str), Amount>,
}

impl Breakdown {
    pub fn of(tensors: &[Tensor], mtp_from: Option<u64>) -> Breakdown {
        let mut cells: BTreeMap<(Group, &'static str), Amount> = BTreeMap::new();
        for t in tensors {
            let a = cells
                .entry((classify(&t.name, mtp_from), t.dtype))
                .or_default();
            a.bytes += t.bytes;
            a.elements += t.elements;
        }
        Breakdown { cells }
    }

    pub fn total(&self) -> u64 {
        self.cells.values().map(|a| a.bytes).sum()
    }

    pub fn group(&self, g: Group) -> Amount {
        self.cells
            .iter()
            .filter(|((group, _), _)| *group == g)
            .fold(Amount::default(), |acc, (_, a)| Amount {
                bytes: acc.bytes + a.bytes,
                elements: acc.elements + a.elements,
            })
    }

    /// Groups that hold any bytes, in display order.
    pub fn by_group(&self) -> Vec<(Group, u64)> {
        Group::ALL
            .iter()
            .map(|&g| (g, self.group(g).bytes))
            .filter(|(_, b)| *b > 0)
            .collect()
    }

    /// Storage types by bytes, largest first.
    pub fn by_type(&self) -> Vec<(&'static str, u64)> {
        let mut m: BTreeMap<&'static str, u64> = BTreeMap::new();
        for ((_, ty), a) in &self.cells {
            *m.entry(ty).or_default() += a.bytes;
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// The storage types of one group, largest first.
    pub fn types_of(&self, g: Group) -> Vec<(&'static str, u64)> {
        let mut v: Vec<_> = self
            .cells
            .iter()
            .filter(|((group, _), _)| *group == g)
            .map(|((_, ty), a)| (*ty, a.bytes))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gguf_names() {
        let c = |n| classify(n, Some(61));
        assert_eq!(c("token_embd.weight"), Group::Embedding);
        assert_eq!(c("output.weight"), Group::Output);
        assert_eq!(c("output_norm.weight"), Group::Attention);
        assert_eq!(c("blk.0.attn_kv_a_mqa.weight"), Group::Attention);
        assert_eq!(c("blk.2.indexer.attn_q_b.weight"), Group::Attention);
        assert_eq!(c("blk.2.attn_compressor_kv.weight"), Group::Attention);
        assert_eq!(c("blk.0.ffn_down.weight"), Group::DenseFfn);
        assert_eq!(c("blk.3.ffn_down_exps.weight"), Group::RoutedExperts);
        assert_eq!(c("blk.3.ffn_gate_up_exps.weight"), Group::RoutedExperts);
        assert_eq!(c("blk.3.ffn_up.7.weight"), Group::RoutedExperts);
        assert_eq!(c("blk.3.ffn_up_shexp.weight"), Group::SharedExperts);
        assert_eq!(c("blk.3.ffn_gate_inp.weight"), Group::Router);
        assert_eq!(c("blk.3.exp_probs_b.bias"), Group::Router);
        assert_eq!(c("blk.0.ffn_gate_tid2eid.weight"), Group::Router);
        assert_eq!(c("blk.61.ffn_down_exps.weight"), Group::Mtp);
        assert_eq!(c("blk.61.nextn.eh_proj.weight"), Group::Mtp);
        assert_eq!(c("blk.1.engram.table.weight"), Group::Engram);
        assert_eq!(c("v.blk.0.attn_q.weight"), Group::Vision);
        assert_eq!(c("rope_freqs.weight"), Group::Attention);
        assert_eq!(c("something_new"), Group::Other);
    }

    #[test]
    fn hugging_face_names() {
        let c = |n| classify(n, Some(61));
        assert_eq!(c("model.embed_tokens.weight"), Group::Embedding);
        assert_eq!(c("lm_head.weight"), Group::Output);
        assert_eq!(c("model.norm.weight"), Group::Attention);
        assert_eq!(
            c("model.layers.0.self_attn.kv_b_proj.weight_scale_inv"),
            Group::Attention
        );
        assert_eq!(c("model.layers.0.mlp.down_proj.weight"), Group::DenseFfn);
        assert_eq!(
            c("model.layers.5.mlp.experts.17.up_proj.weight"),
            Group::RoutedExperts
        );
        assert_eq!(
            c("model.layers.5.mlp.shared_experts.up_proj.weight"),
            Group::SharedExperts
        );
        assert_eq!(c("model.layers.5.mlp.gate.weight"), Group::Router);
        assert_eq!(
            c("model.layers.5.mlp.gate.e_score_correction_bias"),
            Group::Router
        );
        assert_eq!(
            c("model.layers.61.mlp.experts.0.up_proj.weight"),
            Group::Mtp
        );
        assert_eq!(c("layers.4.ffn.experts.3.w1.weight"), Group::RoutedExperts);
        assert_eq!(c("layers.4.ffn.gate.weight"), Group::Router);
        assert_eq!(c("embed.weight"), Group::Embedding);
        assert_eq!(c("head.weight"), Group::Output);
        assert_eq!(c("mtp.0.ffn.experts.3.w1.weight"), Group::Mtp);
        assert_eq!(
            c("model.vision_tower.blocks.0.attn.qkv.weight"),
            Group::Vision
        );
    }
}
