//! The bundled Noto Sans SC subset (SIL OFL 1.1, see assets/fonts/OFL.txt), installed as a fallback
//! behind egui's Latin fonts so Chinese renders everywhere — tests included.

use eframe::egui::{self, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

use crate::font::NOTO_SANS_SC;

pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "NotoSansSC-Subset",
        FontData::from_static(NOTO_SANS_SC),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
