//! The ggml tensor types a GGUF file can hold, with their block layout, so a tensor's exact size
//! follows from its shape. Block sizes and bytes per block are those of llama.cpp's
//! `gguf-py/gguf/constants.py` (`GGML_QUANT_SIZES`) and `ggml/include/ggml.h` (ids 0–42).

/// One ggml type: `block` elements are stored in `block_bytes` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GgmlType {
    pub id: u32,
    pub name: &'static str,
    pub block: u64,
    pub block_bytes: u64,
}

const fn t(id: u32, name: &'static str, block: u64, block_bytes: u64) -> GgmlType {
    GgmlType {
        id,
        name,
        block,
        block_bytes,
    }
}

/// K-quant super-block size.
const QK_K: u64 = 256;

/// Every type current llama.cpp reads from a file.
pub const TYPES: [GgmlType; 35] = [
    t(0, "F32", 1, 4),
    t(1, "F16", 1, 2),
    t(2, "Q4_0", 32, 2 + 16),
    t(3, "Q4_1", 32, 2 + 2 + 16),
    t(6, "Q5_0", 32, 2 + 4 + 16),
    t(7, "Q5_1", 32, 2 + 2 + 4 + 16),
    t(8, "Q8_0", 32, 2 + 32),
    t(9, "Q8_1", 32, 4 + 4 + 32),
    t(10, "Q2_K", QK_K, 2 + 2 + QK_K / 16 + QK_K / 4),
    t(11, "Q3_K", QK_K, 2 + QK_K / 4 + QK_K / 8 + 12),
    t(12, "Q4_K", QK_K, 2 + 2 + QK_K / 2 + 12),
    t(13, "Q5_K", QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12),
    t(14, "Q6_K", QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16),
    t(15, "Q8_K", QK_K, 4 + QK_K + QK_K / 8),
    t(16, "IQ2_XXS", QK_K, 2 + QK_K / 4),
    t(17, "IQ2_XS", QK_K, 2 + QK_K / 4 + QK_K / 32),
    t(18, "IQ3_XXS", QK_K, 2 + QK_K / 4 + QK_K / 8),
    t(19, "IQ1_S", QK_K, 2 + QK_K / 8 + QK_K / 16),
    t(20, "IQ4_NL", 32, 2 + 16),
    t(21, "IQ3_S", QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4),
    t(22, "IQ2_S", QK_K, 2 + QK_K / 4 + QK_K / 16),
    t(23, "IQ4_XS", QK_K, 2 + 2 + QK_K / 2 + QK_K / 64),
    t(24, "I8", 1, 1),
    t(25, "I16", 1, 2),
    t(26, "I32", 1, 4),
    t(27, "I64", 1, 8),
    t(28, "F64", 1, 8),
    t(29, "IQ1_M", QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32),
    t(30, "BF16", 1, 2),
    t(34, "TQ1_0", QK_K, 2 + 4 * 13),
    t(35, "TQ2_0", QK_K, 2 + 64),
    t(39, "MXFP4", 32, 1 + 16),
    t(40, "NVFP4", 64, 4 + 32),
    t(41, "Q1_0", 128, 2 + 16),
    // 2-bit codes in blocks of 64 with one F16 scale.
    t(42, "Q2_0", 64, 2 + 16),
];

/// Ids llama.cpp once wrote and no longer loads (repacked Q4_0 / IQ4_NL variants).
const REMOVED: [(u32, &str); 6] = [
    (31, "Q4_0_4_4"),
    (32, "Q4_0_4_8"),
    (33, "Q4_0_8_8"),
    (36, "IQ4_NL_4_4"),
    (37, "IQ4_NL_4_8"),
    (38, "IQ4_NL_8_8"),
];

impl GgmlType {
    /// The type with this id.
    pub fn from_id(id: u32) -> Result<GgmlType, String> {
        if let Some(t) = TYPES.iter().find(|t| t.id == id) {
            return Ok(*t);
        }
        match REMOVED.iter().find(|(r, _)| *r == id) {
            Some((_, name)) => Err(format!(
                "tensor type {id} ({name}) was removed from llama.cpp; current builds cannot load this file"
            )),
            None => Err(format!(
                "unknown tensor type id {id} (this reader knows llama.cpp's ids 0–42)"
            )),
        }
    }

    /// The type with this name (`Q4_K`), case-insensitively.
    pub fn by_name(name: &str) -> Option<GgmlType> {
        TYPES
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .copied()
    }

    /// Bits per element including block scales.
    pub fn bits_per_element(self) -> f64 {
        self.block_bytes as f64 * 8.0 / self.block as f64
    }

    /// Bytes of a tensor of `elements` elements whose rows are `row` elements long. The row length
    /// must be a whole number of blocks (ggml stores no partial blocks).
    pub fn bytes(self, row: u64, elements: u64) -> Result<u64, String> {
        if row % self.block != 0 {
            return Err(format!(
                "its rows of {row} elements are not a multiple of the {} block of {} elements",
                self.name, self.block
            ));
        }
        (elements / self.block)
            .checked_mul(self.block_bytes)
            .ok_or_else(|| "its size overflows 64 bits".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_sizes_match_llama_cpp() {
        let bits = |n: &str| GgmlType::by_name(n).unwrap().bits_per_element();
        assert_eq!(bits("Q4_K"), 4.5);
        assert_eq!(bits("Q6_K"), 6.5625);
        assert_eq!(bits("Q8_0"), 8.5);
        assert_eq!(bits("IQ1_S"), 1.5625);
        assert_eq!(bits("IQ2_XXS"), 2.0625);
        assert_eq!(bits("MXFP4"), 4.25);
        assert_eq!(bits("TQ1_0"), 1.6875);
        assert_eq!(bits("BF16"), 16.0);
        assert_eq!(bits("F64"), 64.0);
        assert_eq!(GgmlType::from_id(23).unwrap().name, "IQ4_XS");
        assert_eq!(GgmlType::from_id(15).unwrap().name, "Q8_K");
    }

    #[test]
    fn unknown_and_removed_ids_are_named() {
        assert!(GgmlType::from_id(4)
            .unwrap_err()
            .contains("unknown tensor type id 4"));
        assert!(GgmlType::from_id(33).unwrap_err().contains("Q4_0_8_8"));
        assert!(GgmlType::from_id(u32::MAX).is_err());
    }

    #[test]
    fn rows_must_hold_whole_blocks() {
        let q4k = GgmlType::by_name("Q4_K").unwrap();
        assert_eq!(q4k.bytes(256, 512).unwrap(), 288);
        assert!(q4k.bytes(100, 100).unwrap_err().contains("not a multiple"));
        let f32 = GgmlType::by_name("F32").unwrap();
        assert!(f32.bytes(1, u64::MAX).unwrap_err().contains("overflows"));
    }
}
