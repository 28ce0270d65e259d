//! The user's own price file (RON): purchase quotes for GPUs, servers and unified-memory machines,
//! rental offers, the electricity price and API discounts or private prices. Each row replaces the
//! matching catalog row. Every value is checked while it is read, so a mistake is reported with
//! the file, line:column and field, and a bad file changes nothing.

use crate::catalog::schema::{ApiTool, Currency, TokenPrices};
use crate::catalog::Catalog;
use crate::date::Day;
use crate::fsutil::FileError;
use serde::Deserialize;
use std::path::Path;

/// The price file format version this program writes and reads.
pub const PRICE_FILE_VERSION: u32 = 1;

/// File name of the price file in the app's data folder.
pub const PRICE_FILE_NAME: &str = "prices.ron";

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPrices {
    pub version: u32,
    /// Purchase price of one GPU.
    #[serde(default)]
    pub gpus: Vec<GpuQuote>,
    /// A complete server (host and GPUs) for one price.
    #[serde(default)]
    pub servers: Vec<ServerQuote>,
    /// A Mac, DGX Spark or Strix Halo box at one memory size.
    #[serde(default)]
    pub systems: Vec<SystemQuote>,
    /// A rental offer per GPU-hour.
    #[serde(default)]
    pub rentals: Vec<RentalQuote>,
    #[serde(default)]
    pub electricity: Option<ElectricityQuote>,
    /// A discount on a DeepSeek endpoint, or the price you pay for it.
    #[serde(default)]
    pub api: Vec<ApiQuote>,
    /// A service that replaces one of the API's tools for the self-hosted options (a search API,
    /// an OCR service, a TTS service).
    #[serde(default)]
    pub tool_services: Vec<ToolServiceQuote>,
}

/// A service you would pay for a tool the DeepSeek API runs itself: `price` per `per` units
/// (calls, pages or characters).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolServiceQuote {
    pub tool: ApiTool,
    /// What it is: `Bing Web Search API S1`, `our OCR server`.
    pub service: String,
    pub price: Amount,
    pub per: PerUnits,
    pub currency: Currency,
    pub date: QuoteDate,
    #[serde(default)]
    pub source: String,
}

/// How many units a price is for: a finite number > 0.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "f64")]
pub struct PerUnits(pub f64);

impl TryFrom<f64> for PerUnits {
    type Error = String;
    fn try_from(v: f64) -> Result<PerUnits, String> {
        if v.is_finite() && v > 0.0 {
            Ok(PerUnits(v))
        } else {
            Err(format!(
                "must be a number > 0 (units the price is for), got {v}"
            ))
        }
    }
}

/// A catalog GPU id, checked (and spelled the catalog's way) while reading.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct GpuId(pub String);

impl TryFrom<String> for GpuId {
    type Error = String;
    fn try_from(s: String) -> Result<GpuId, String> {
        Catalog::get()
            .gpu(&s)
            .map(|g| GpuId(g.id.clone()))
            .map_err(|e| e.to_string())
    }
}

/// A finite amount ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "f64")]
pub struct Amount(pub f64);

impl TryFrom<f64> for Amount {
    type Error = String;
    fn try_from(v: f64) -> Result<Amount, String> {
        if v.is_finite() && v >= 0.0 {
            Ok(Amount(v))
        } else {
            Err(format!("must be a number ≥ 0, got {v}"))
        }
    }
}

/// The day a quote was taken: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct QuoteDate(pub Day);

impl TryFrom<String> for QuoteDate {
    type Error = String;
    fn try_from(s: String) -> Result<QuoteDate, String> {
        Day::parse_exact(&s)
            .map(QuoteDate)
            .ok_or_else(|| format!("must be a date YYYY-MM-DD, got `{s}`"))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuQuote {
    pub gpu: GpuId,
    pub price: Amount,
    pub currency: Currency,
    pub date: QuoteDate,
    /// Who quoted it: `JD.com`, `vendor quote #123`.
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerQuote {
    pub gpu: GpuId,
    /// GPUs in the server.
    pub count: u32,
    pub price: Amount,
    pub currency: Currency,
    pub date: QuoteDate,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemQuote {
    /// The chip: `apple-m3-ultra`, `dgx-spark`, `ryzen-ai-max-395`.
    pub hardware: GpuId,
    /// Unified memory as sold, GB.
    pub memory_gb: Amount,
    pub price: Amount,
    pub currency: Currency,
    pub date: QuoteDate,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RentalQuote {
    pub gpu: GpuId,
    pub per_gpu_hour: Amount,
    pub currency: Currency,
    pub date: QuoteDate,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectricityQuote {
    pub per_kwh: Amount,
    pub currency: Currency,
    pub date: QuoteDate,
    #[serde(default)]
    pub source: String,
}

/// A DeepSeek endpoint's price for you: a discount off the catalog price, or your own prices
/// (a negotiated contract or a private endpoint billed instead).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "ApiQuoteFields")]
pub struct ApiQuote {
    pub endpoint: String,
    pub terms: ApiTerms,
    pub date: QuoteDate,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApiTerms {
    /// Percent off both tiers of the catalog price.
    DiscountPercent(f64),
    /// Your prices per million tokens; without `peak`, one price all day.
    Prices {
        currency: Currency,
        off_peak: TokenPrices,
        peak: Option<TokenPrices>,
    },
}

/// `ApiQuote` as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiQuoteFields {
    endpoint: String,
    #[serde(default)]
    discount_percent: Option<f64>,
    #[serde(default)]
    currency: Option<Currency>,
    #[serde(default)]
    off_peak: Option<TokenPrices>,
    #[serde(default)]
    peak: Option<TokenPrices>,
    date: QuoteDate,
    #[serde(default)]
    source: String,
}

fn check_tier(field: &str, t: &TokenPrices) -> Result<(), String> {
    for (name, v) in [
        ("cache_hit_per_mtok", t.cache_hit_per_mtok),
        ("cache_miss_per_mtok", t.cache_miss_per_mtok),
        ("output_per_mtok", t.output_per_mtok),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(format!(
                "field `{field}.{name}` must be a number ≥ 0, got {v}"
            ));
        }
    }
    Ok(())
}

impl TryFrom<ApiQuoteFields> for ApiQuote {
    type Error = String;
    fn try_from(f: ApiQuoteFields) -> Result<ApiQuote, String> {
        let catalog = &Catalog::get().cloud.api_prices;
        if !catalog.iter().any(|p| p.endpoint == f.endpoint) {
            let mut known: Vec<&str> = catalog.iter().map(|p| p.endpoint.as_str()).collect();
            known.dedup();
            known.sort_unstable();
            known.dedup();
            return Err(format!(
                "field `endpoint`: unknown DeepSeek endpoint `{}`; known: {}",
                f.endpoint,
                known.join(", ")
            ));
        }
        let terms = match (f.discount_percent, f.off_peak) {
            (Some(_), Some(_)) => {
                return Err(
                    "fields `discount_percent` and `off_peak`: give one of them, not both".into(),
                )
            }
            (Some(d), None) => {
                if !(d.is_finite() && (0.0..100.0).contains(&d)) {
                    return Err(format!(
                        "field `discount_percent` must be at least 0 and below 100, got {d}"
                    ));
                }
                if f.peak.is_some() || f.currency.is_some() {
                    return Err("fields `peak` and `currency` go with `off_peak`, not with `discount_percent`".into());
                }
                ApiTerms::DiscountPercent(d)
            }
            (None, Some(off_peak)) => {
                check_tier("off_peak", &off_peak)?;
                if let Some(p) = &f.peak {
                    check_tier("peak", p)?;
                }
                let currency = f
                    .currency
                    .ok_or("field `currency` is needed with `off_peak` (Cny or Usd)")?;
                ApiTerms::Prices {
                    currency,
                    off_peak,
                    peak: f.peak,
                }
            }
            (None, None) => {
                return Err("fields `discount_percent` or `off_peak`: one of them is needed".into())
            }
        };
        Ok(ApiQuote {
            endpoint: f.endpoint,
            terms,
            date: f.date,
            source: f.source,
        })
    }
}

/// The field whose value ends nearest before `offset`: the `name:` a RON error points into.
fn field_before(text: &str, offset: usize) -> Option<&str> {
    let head = &text[..offset.min(text.len())];
    let colon = head.rfind(':')?;
    let before = head[..colon].trim_end();
    // The identifier is the run of ASCII word characters just before the colon (whatever the
    // character before it, however many bytes that takes).
    let rest = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let name = &before[rest.len()..];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// Byte offset of a 1-based line and column (columns count characters).
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        off += l.len();
    }
    text.len()
}

impl UserPrices {
    /// Reads a price file's text; `file` names it in errors.
    pub fn from_ron(text: &str, file: &str) -> Result<UserPrices, FileError> {
        let err = |message: String| FileError {
            file: file.into(),
            message,
        };
        // `Some(…)` may be left out around optional values.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let p: UserPrices = options.from_str(text).map_err(|e| {
            let (line, col) = (e.span.start.line, e.span.start.col);
            let message = e.code.to_string();
            let field = if message.contains("field `") || message.contains("field named `") {
                None
            } else {
                field_before(text, offset_of(text, e.span.end.line, e.span.end.col))
            };
            err(match field {
                Some(f) => format!("{line}:{col}: field `{f}`: {message}"),
                None => format!("{line}:{col}: {message}"),
            })
        })?;
        if p.version == 0 || p.version > PRICE_FILE_VERSION {
            return Err(err(format!(
                "field `version`: {} is not a price file version this program reads (1)",
                p.version
            )));
        }
        Ok(p)
    }

    pub fn load(path: &Path) -> Result<UserPrices, FileError> {
        let (text, file) = crate::fsutil::read_text(path)?;
        UserPrices::from_ron(&text, &file)
    }

    /// Whether the file holds no quotes at all.
    pub fn is_empty(&self) -> bool {
        self.gpus.is_empty()
            && self.servers.is_empty()
            && self.systems.is_empty()
            && self.rentals.is_empty()
            && self.electricity.is_none()
            && self.api.is_empty()
            && self.tool_services.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<UserPrices, FileError> {
        UserPrices::from_ron(&format!("(\n    version: 1,\n{body}\n)"), "p.ron")
    }

    #[test]
    fn the_field_before_an_error_is_found_after_any_character() {
        // Found by libFuzzer: a multi-byte character right before the field name made the
        // error path slice inside it and panic.
        assert_eq!(field_before("(价price: x", 14), Some("price"));
        assert_eq!(field_before("(价: x", 6), None);
        assert_eq!(field_before("(\u{fffd}date: 1", 12), Some("date"));
        let e = parse("    gpus: [(gpu: \"RTX 4090\", 价price: 1.0)],").unwrap_err();
        assert!(e.message.starts_with("3:"), "{e}");
    }

    #[test]
    fn a_complete_file_reads() {
        let p = parse(
            r#"    gpus: [(gpu: "RTX 4090", price: 16999.0, currency: Cny, date: "2026-11-30", source: "JD.com")],
    servers: [(gpu: "h20", count: 8, price: 1100000.0, currency: Cny, date: "2026-11-20")],
    rentals: [(gpu: "rtx-4090", per_gpu_hour: 1.98, currency: Cny, date: "2026-11-30")],
    electricity: (per_kwh: 0.65, currency: Cny, date: "2026-11-01"),
    api: [
        (endpoint: "deepseek-flash", discount_percent: 20.0, date: "2026-11-15"),
        (endpoint: "deepseek-v4-pro", currency: Some(Usd), off_peak: Some((cache_hit_per_mtok: 0.02, cache_miss_per_mtok: 0.5, output_per_mtok: 1.5)), date: "2026-11-15"),
    ],"#,
        )
        .unwrap();
        assert_eq!(p.gpus[0].gpu.0, "rtx-4090");
        let t = parse(
            r#"    tool_services: [(tool: Search, service: "Brave Search API", price: 5.0, per: 1000.0, currency: Usd, date: "2026-12-01")],"#,
        )
        .unwrap();
        assert_eq!(t.tool_services[0].tool, ApiTool::Search);
        assert_eq!(t.tool_services[0].per.0, 1000.0);
        let e = error(
            r#"    tool_services: [(tool: Ocr, service: "x", price: 1.0, per: 0.0, currency: Cny, date: "2026-12-01")],"#,
        );
        assert!(
            e.contains("field `per`") && e.contains("must be a number > 0"),
            "{e}"
        );
        assert_eq!(p.api[0].terms, ApiTerms::DiscountPercent(20.0));
        assert!(matches!(
            p.api[1].terms,
            ApiTerms::Prices { peak: None, .. }
        ));
    }

    fn error(body: &str) -> String {
        parse(body).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_column_and_field() {
        let e = error(
            r#"    gpus: [(gpu: "rtx-4099", price: 1.0, currency: Cny, date: "2026-11-30")],"#,
        );
        assert!(e.starts_with("p.ron: 3:"), "{e}");
        assert!(e.contains("field `gpu`") && e.contains("rtx-4090"), "{e}");
        let e = error(
            r#"    rentals: [(gpu: "rtx-4090", per_gpu_hour: -2.0, currency: Cny, date: "2026-11-30")],"#,
        );
        assert!(
            e.contains("p.ron: 3:") && e.contains("field `per_gpu_hour`") && e.contains("≥ 0"),
            "{e}"
        );
        let e =
            error(r#"    electricity: Some((per_kwh: 0.6, currency: Cny, date: "30.11.2026")),"#);
        assert!(
            e.contains("field `date`") && e.contains("YYYY-MM-DD"),
            "{e}"
        );
        let e = error(
            r#"    gpus: [(gpu: "rtx-4090", prize: 1.0, currency: Cny, date: "2026-11-30")],"#,
        );
        assert!(e.contains("p.ron: 3:") && e.contains("prize"), "{e}");
        let e = error(
            r#"    api: [(endpoint: "deepseek-chatt", discount_percent: Some(5.0), date: "2026-11-30")],"#,
        );
        assert!(
            e.contains("field `endpoint`") && e.contains("deepseek-flash"),
            "{e}"
        );
        let e = error(r#"    api: [(endpoint: "deepseek-flash", date: "2026-11-30")],"#);
        assert!(
            e.contains("discount_percent") && e.contains("off_peak"),
            "{e}"
        );
        let e = UserPrices::from_ron("(version: 7)", "p.ron")
            .unwrap_err()
            .to_string();
        assert!(e.contains("field `version`"), "{e}");
        let e = UserPrices::from_ron("(version: 1, gpus: [(gpu: \"rtx-4090\"", "p.ron")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.ron: 1:"), "{e}");
    }
}
