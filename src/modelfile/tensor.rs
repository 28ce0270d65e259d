//! One tensor as either reader sees it: name, shape, storage type and exact bytes.

#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// As stored: `blk.3.ffn_down_exps.weight` (GGUF) or `model.layers.3.mlp.down_proj.weight`.
    pub name: String,
    /// Dimensions as the file lists them (GGUF: innermost first; safetensors: outermost first).
    pub shape: Vec<u64>,
    /// Storage type: a ggml type (`Q4_K`) or a safetensors dtype (`F8_E4M3`).
    pub dtype: &'static str,
    pub elements: u64,
    /// Exact bytes of the tensor's data in the file.
    pub bytes: u64,
    /// Where the data starts in its file (never read).
    pub offset: u64,
}
