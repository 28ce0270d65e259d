//! What the About window and reports say about the program itself: its version, how recent the
//! bundled catalogs are (computed from their dates, never written by hand), and the licences of
//! what ships inside it.

use crate::catalog::Catalog;

/// The program's version (Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The newest of `dates` that is a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); ISO dates sort as
/// text. Entries such as `unknown` or `undated` are skipped.
pub fn newest_date<'a>(dates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    dates
        .into_iter()
        .filter(|d| {
            let b = d.as_bytes();
            b.len() >= 4
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4..].iter().all(|c| c.is_ascii_digit() || *c == b'-')
        })
        .max()
}

/// The newest price in the catalogs: API price rows (`effective_from`), cloud instances, GPU
/// purchase prices and the cost model's defaults.
pub fn prices_as_of(catalog: &Catalog) -> Option<&str> {
    let c = &catalog.cloud;
    let d = &c.cost_defaults;
    let defaults = [
        &d.usd_to_cny,
        &d.electricity_cny_per_kwh,
        &d.electricity_usd_per_kwh,
        &d.pue,
        &d.cooling_cny_per_kw,
        &d.engineer_cny_per_year,
        &d.fte_local_server,
        &d.fte_local_cluster,
        &d.fte_cloud,
        &d.maintenance_share_per_year,
        &d.server_share_of_gpu_cost,
        &d.network_share_of_server_cost,
        &d.optimization_once_cny,
        &d.optimization_per_year_cny,
        &d.server_base_kw,
        &d.utilization,
        &d.cache_hit_share,
        &d.peak_to_average,
        &d.min_user_tok_s,
        &d.max_ttft_s,
    ];
    newest_date(
        c.api_prices
            .iter()
            .map(|p| p.effective_from.as_str())
            .chain(c.instances.iter().map(|i| i.date.as_str()))
            .chain(d.gpu_purchases.iter().map(|p| p.price.date.as_str()))
            .chain(
                catalog
                    .gpus
                    .gpus
                    .iter()
                    .filter_map(|g| g.price.as_ref().map(|p| p.date.as_str())),
            )
            .chain(defaults.iter().map(|s| s.date.as_str())),
    )
}

/// The release date of the newest model in the catalog.
pub fn models_as_of(catalog: &Catalog) -> Option<&str> {
    newest_date(catalog.models.models.iter().map(|m| m.released.as_str()))
}

/// A part of the program and its licence.
pub struct Licence {
    pub component: &'static str,
    pub licence: &'static str,
    pub note_en: &'static str,
    pub note_zh: &'static str,
}

pub const LICENCES: [Licence; 3] = [
    Licence {
        component: "deepseek-advisor",
        licence: "MIT",
        note_en: "this program",
        note_zh: "本程序",
    },
    Licence {
        component: "Noto Sans SC (subset)",
        licence: "SIL Open Font License 1.1",
        note_en: "bundled font for Chinese text; licence text in assets/fonts/OFL.txt",
        note_zh: "内置中文字体；许可证全文见 assets/fonts/OFL.txt",
    },
    Licence {
        component: "DeepSeek model weights",
        licence: "MIT (R1, V3.1, V3.2 and their distills); DeepSeek Model License (older models)",
        note_en: "not bundled; each model's licence is in the model catalog (`catalog models`), distills also carry their base model's",
        note_zh: "未随程序分发；各模型的许可证见模型目录（`catalog models`），蒸馏模型还受其基座模型许可证约束",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_date_skips_words_and_compares_iso_dates() {
        assert_eq!(
            newest_date([
                "2025-01",
                "unknown",
                "2026-09-20",
                "2026-09",
                "undated",
                "20x6"
            ]),
            Some("2026-09-20")
        );
        assert_eq!(newest_date(["unknown"]), None);
    }

    #[test]
    fn catalog_dates_are_real_dates() {
        let c = Catalog::get();
        let prices = prices_as_of(c).expect("the catalog has dated prices");
        assert!(prices.starts_with("20"), "{prices}");
        // No price row is newer than the newest one reported.
        for p in &c.cloud.api_prices {
            assert!(p.effective_from.as_str() <= prices);
        }
        assert!(models_as_of(c).is_some());
    }
}
