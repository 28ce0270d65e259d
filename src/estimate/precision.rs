//! Precision classes: quants grouped by about how many bits the bulk of a model's weights keep
//! (≈16, 8, 6, 5, 4, 3, 2 and under 2), so that V4's own files (ds4-q2, MXFP4_MOE, FP4-FP8) sit
//! beside the GGUF K-quants of the same precision instead of in columns of their own.

use crate::catalog::schema::QuantEntry;
use crate::lang::Lang;

/// About how many bits per weight a quant keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrecisionClass {
    Bits16,
    Bits8,
    Bits6,
    Bits5,
    Bits4,
    Bits3,
    Bits2,
    Below2,
}

impl PrecisionClass {
    /// From the most bits to the fewest.
    pub const ALL: [PrecisionClass; 8] = [
        PrecisionClass::Bits16,
        PrecisionClass::Bits8,
        PrecisionClass::Bits6,
        PrecisionClass::Bits5,
        PrecisionClass::Bits4,
        PrecisionClass::Bits3,
        PrecisionClass::Bits2,
        PrecisionClass::Below2,
    ];

    /// The class of `bits` per weight: the largest class whose bits it reaches (block scales
    /// put a K-quant a little above its name: Q4_K_M is 4.8, Q2_K 2.95).
    pub fn of_bits(bits: f64) -> PrecisionClass {
        match bits {
            b if b >= 12.0 => PrecisionClass::Bits16,
            b if b >= 7.5 => PrecisionClass::Bits8,
            b if b >= 6.0 => PrecisionClass::Bits6,
            b if b >= 5.0 => PrecisionClass::Bits5,
            b if b >= 4.0 => PrecisionClass::Bits4,
            b if b >= 3.0 => PrecisionClass::Bits3,
            b if b >= 2.0 => PrecisionClass::Bits2,
            _ => PrecisionClass::Below2,
        }
    }

    /// The class of a quant: the bits it is named for, else those of its bulk — the routed
    /// experts where the recipe stores them apart (V4's files keep attention at FP8 and the
    /// experts at 2–4 bits), else the transformer body.
    pub fn of(q: &QuantEntry) -> PrecisionClass {
        PrecisionClass::of_bits(q.named_bits.or(q.routed_bpw).unwrap_or(q.body_bpw))
    }

    /// The column head: `4-bit`, `<2-bit`; `4 位`, `<2 位`.
    pub fn label(self, lang: Lang) -> &'static str {
        use PrecisionClass::*;
        match (self, lang) {
            (Bits16, Lang::En) => "16-bit",
            (Bits8, Lang::En) => "8-bit",
            (Bits6, Lang::En) => "6-bit",
            (Bits5, Lang::En) => "5-bit",
            (Bits4, Lang::En) => "4-bit",
            (Bits3, Lang::En) => "3-bit",
            (Bits2, Lang::En) => "2-bit",
            (Below2, Lang::En) => "<2-bit",
            (Bits16, Lang::Zh) => "16 位",
            (Bits8, Lang::Zh) => "8 位",
            (Bits6, Lang::Zh) => "6 位",
            (Bits5, Lang::Zh) => "5 位",
            (Bits4, Lang::Zh) => "4 位",
            (Bits3, Lang::Zh) => "3 位",
            (Bits2, Lang::Zh) => "2 位",
            (Below2, Lang::Zh) => "<2 位",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PrecisionClass::{self, *};
    use crate::catalog::Catalog;

    fn class(id: &str) -> PrecisionClass {
        PrecisionClass::of(Catalog::get().quant(id).unwrap())
    }

    #[test]
    fn every_catalog_quant_sits_in_the_class_it_is_named_for() {
        for (want, ids) in [
            (Bits16, &["BF16", "F32"][..]),
            (
                Bits8,
                &["FP8", "INT8", "Q8_0", "MLX-8bit", "UD-Q8_K_XL"][..],
            ),
            (Bits6, &["Q6_K"][..]),
            (Bits5, &["Q5_K_M"][..]),
            (
                Bits4,
                &[
                    "Q4_K_M",
                    "Q4_0",
                    "IQ4_XS",
                    "AWQ",
                    "MXFP4_MOE",
                    "FP4-FP8",
                    "NVFP4",
                    "ds4-q4",
                    "MLX-4bit",
                    "UD-Q4_K_XL",
                ][..],
            ),
            (Bits3, &["Q3_K_M", "UD-IQ3_XXS"][..]),
            (
                Bits2,
                &["Q2_K", "IQ2_XXS", "UD-IQ2_XXS", "UD-Q2_K_XL", "ds4-q2"][..],
            ),
            (Below2, &["IQ1_S", "UD-IQ1_S", "UD-IQ1_M"][..]),
        ] {
            for id in ids {
                assert_eq!(class(id), want, "{id}");
            }
        }
        // Every class has a file.
        for c in PrecisionClass::ALL {
            let n = Catalog::get()
                .quants
                .quants
                .iter()
                .filter(|q| PrecisionClass::of(q) == c)
                .count();
            assert!(n >= 1, "{c:?}");
        }
    }

    #[test]
    fn classes_step_down_with_the_bits() {
        let mut last = Bits16;
        for b in [
            32.0, 16.0, 8.5, 8.0, 6.56, 5.66, 4.85, 4.25, 3.85, 2.95, 2.25, 1.69, 0.5,
        ] {
            let c = PrecisionClass::of_bits(b);
            assert!(c >= last, "{b}");
            last = c;
        }
    }
}
