//! The bundled Noto Sans SC subset (SIL OFL 1.1, see assets/fonts/OFL.txt): Latin, CJK punctuation,
//! the common hanzi and every character the program's texts use. The window draws Chinese with it
//! and report charts draw all their text with it, so a chart looks the same on every machine.

pub const NOTO_SANS_SC: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Subset.otf");
