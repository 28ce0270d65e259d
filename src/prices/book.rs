//! Prices as the answers use them: the embedded catalog with the user's price file laid over it
//! row by row, on a given day, in one currency. Every lookup returns the number with its source.

use super::source::Source;
use super::user_file::{ApiTerms, UserPrices};
use crate::catalog::schema::{
    ApiPrice, ApiTool, Currency, Host, PriceQuote, Pricing, TokenPrices, ToolPrice,
};
use crate::catalog::Catalog;
use crate::date::Day;

/// Converts an amount between currencies at `usd_to_cny` (CNY per USD).
pub fn convert(amount: f64, from: Currency, to: Currency, usd_to_cny: f64) -> f64 {
    match (from, to) {
        (Currency::Usd, Currency::Cny) => amount * usd_to_cny,
        (Currency::Cny, Currency::Usd) => amount / usd_to_cny,
        _ => amount,
    }
}

/// What prices an answer is computed with: the user's price file (possibly empty) and the day
/// that counts as today (injected, so tests and scenarios are reproducible).
#[derive(Debug, Clone, PartialEq)]
pub struct PriceContext {
    pub user: UserPrices,
    /// The price file as shown to the user (a path); empty without one.
    pub user_file: String,
    pub today: Day,
}

/// A price in the requested currency: the value used (the middle of a quoted band), the band,
/// and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Quoted {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub source: Source,
}

impl Quoted {
    fn single(value: f64, source: Source) -> Quoted {
        Quoted {
            value,
            low: value,
            high: value,
            source,
        }
    }

    fn from_catalog(p: &PriceQuote, to: Currency, rate: f64) -> Quoted {
        let c = |v| convert(v, p.currency, to, rate);
        Quoted {
            value: c((p.low + p.high) / 2.0),
            low: c(p.low),
            high: c(p.high),
            source: Source::catalog(&p.source, &p.date, p.confidence.is_estimate()),
        }
    }
}

/// A unified-memory machine on offer at one memory size.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemOffer {
    pub gpu_id: String,
    pub memory_gb: f64,
    pub product: String,
    pub price: Quoted,
}

/// A price per so many units (calls, pages, characters) in the requested currency.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPrice {
    pub price: f64,
    pub per: f64,
    /// Who runs it: `DeepSeek API` or the service named in the price file.
    pub service: String,
    pub source: Source,
}

impl UnitPrice {
    pub fn per_unit(&self) -> f64 {
        self.price / self.per
    }
}

/// An API endpoint's price on the context's day.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiOffer {
    pub endpoint: String,
    /// Model served, as the pricing page names it.
    pub serves: String,
    /// The catalog model served (models.ron id).
    pub serves_model: Option<String>,
    pub effective_from: String,
    pub effective_until: Option<String>,
    /// The endpoint was retired before the context's day: the price is its last one.
    pub retired: bool,
    pub off_peak: TokenPrices,
    /// Equal to `off_peak` where the endpoint bills one price all day.
    pub peak: TokenPrices,
    pub source: Source,
}

fn scale(t: TokenPrices, k: f64) -> TokenPrices {
    TokenPrices {
        cache_hit_per_mtok: t.cache_hit_per_mtok * k,
        cache_miss_per_mtok: t.cache_miss_per_mtok * k,
        output_per_mtok: t.output_per_mtok * k,
    }
}

fn converted(t: TokenPrices, from: Currency, to: Currency, rate: f64) -> TokenPrices {
    scale(t, convert(1.0, from, to, rate))
}

fn row_prices(r: &ApiPrice) -> TokenPrices {
    TokenPrices {
        cache_hit_per_mtok: r.cache_hit_per_mtok,
        cache_miss_per_mtok: r.cache_miss_per_mtok,
        output_per_mtok: r.output_per_mtok,
    }
}

/// The user's label for a quote, or the price file when none is given.
fn user_label(source: &str, file: &str) -> String {
    if source.is_empty() {
        file.to_string()
    } else {
        source.to_string()
    }
}

impl PriceContext {
    /// Catalog prices only, on `today`.
    pub fn catalog_only(today: Day) -> PriceContext {
        PriceContext {
            user: UserPrices::default(),
            user_file: String::new(),
            today,
        }
    }

    /// Catalog prices with the user's file laid over them.
    pub fn with_user(user: UserPrices, user_file: String, today: Day) -> PriceContext {
        PriceContext {
            user,
            user_file,
            today,
        }
    }

    /// Purchase price of one GPU: the user's newest quote, else gpus.ron, else the cost defaults'
    /// list.
    pub fn gpu_purchase(&self, gpu: &str, to: Currency, rate: f64) -> Option<Quoted> {
        if let Some(q) = self
            .user
            .gpus
            .iter()
            .filter(|q| q.gpu.0 == gpu)
            .max_by_key(|q| q.date)
        {
            return Some(Quoted::single(
                convert(q.price.0, q.currency, to, rate),
                Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
            ));
        }
        let c = Catalog::get();
        c.gpu(gpu)
            .ok()
            .and_then(|g| g.price.as_ref())
            .or_else(|| {
                c.cloud
                    .cost_defaults
                    .gpu_purchases
                    .iter()
                    .find(|p| p.gpu_id == gpu)
                    .map(|p| &p.price)
            })
            .map(|p| Quoted::from_catalog(p, to, rate))
    }

    /// A complete server of `count` × `gpu` quoted as one price: the user's, else the catalog's.
    pub fn server_purchase(
        &self,
        gpu: &str,
        count: u32,
        to: Currency,
        rate: f64,
    ) -> Option<Quoted> {
        if let Some(q) = self
            .user
            .servers
            .iter()
            .filter(|q| q.gpu.0 == gpu && q.count == count)
            .max_by_key(|q| q.date)
        {
            return Some(Quoted::single(
                convert(q.price.0, q.currency, to, rate),
                Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
            ));
        }
        Catalog::get()
            .cloud
            .server_prices
            .iter()
            .find(|s| s.gpu_id == gpu && s.gpu_count == count)
            .map(|s| Quoted::from_catalog(&s.price, to, rate))
    }

    /// Unified-memory machines on offer: catalog rows, each replaced by the user's quote for the
    /// same chip and memory size; the user's other quotes added.
    pub fn systems(&self, to: Currency, rate: f64) -> Vec<SystemOffer> {
        let mut out: Vec<SystemOffer> = Vec::new();
        let mut quoted: Vec<(&str, f64)> = Vec::new();
        let mut user: Vec<_> = self.user.systems.iter().collect();
        user.sort_by_key(|q| std::cmp::Reverse(q.date));
        for q in user {
            let key = (q.hardware.0.as_str(), q.memory_gb.0);
            if quoted.contains(&key) {
                continue;
            }
            quoted.push(key);
            out.push(SystemOffer {
                gpu_id: q.hardware.0.clone(),
                memory_gb: q.memory_gb.0,
                product: format!("{} {} GB", q.hardware.0, q.memory_gb.0),
                price: Quoted::single(
                    convert(q.price.0, q.currency, to, rate),
                    Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
                ),
            });
        }
        for s in &Catalog::get().cloud.system_prices {
            if !quoted.contains(&(s.gpu_id.as_str(), s.memory_gb)) {
                out.push(SystemOffer {
                    gpu_id: s.gpu_id.clone(),
                    memory_gb: s.memory_gb,
                    product: s.product.clone(),
                    price: Quoted::from_catalog(&s.price, to, rate),
                });
            }
        }
        out
    }

    /// Hosts (machines without GPUs, CPU-only servers) with their prices.
    pub fn hosts(&self, to: Currency, rate: f64) -> Vec<(&'static Host, Quoted)> {
        Catalog::get()
            .cloud
            .hosts
            .iter()
            .map(|h| {
                let mut q = Quoted::from_catalog(&h.price, to, rate);
                // The long derivation stays in the catalog; answers name the host.
                q.source.label = format!("host `{}`", h.id);
                (h, q)
            })
            .collect()
    }

    /// One rented GPU-hour: the user's newest offer, else the cheapest on-demand catalog row that
    /// is not an estimate.
    pub fn cloud_gpu_hour(&self, gpu: &str, to: Currency, rate: f64) -> Option<Quoted> {
        if let Some(q) = self
            .user
            .rentals
            .iter()
            .filter(|q| q.gpu.0 == gpu)
            .max_by_key(|q| q.date)
        {
            return Some(Quoted::single(
                convert(q.per_gpu_hour.0, q.currency, to, rate),
                Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
            ));
        }
        Catalog::get()
            .cloud
            .instances
            .iter()
            .filter(|i| {
                i.gpu_id == gpu && i.pricing == Pricing::OnDemand && !i.confidence.is_estimate()
            })
            .map(|i| {
                let v = convert(i.per_hour / f64::from(i.gpu_count), i.currency, to, rate);
                let label = format!("{} {} ({})", i.provider, i.instance, i.source);
                Quoted::single(v, Source::catalog(&label, &i.date, false))
            })
            .min_by(|a, b| a.value.total_cmp(&b.value))
    }

    /// Electricity per kWh: the user's quote, else the catalog default for the currency.
    pub fn electricity(&self, to: Currency, rate: f64) -> Quoted {
        if let Some(q) = &self.user.electricity {
            return Quoted::single(
                convert(q.per_kwh.0, q.currency, to, rate),
                Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
            );
        }
        let d = &Catalog::get().cloud.cost_defaults;
        let (s, from) = match to {
            Currency::Cny => (&d.electricity_cny_per_kwh, Currency::Cny),
            Currency::Usd => (&d.electricity_usd_per_kwh, Currency::Usd),
        };
        Quoted::single(
            convert(s.value, from, to, rate),
            Source::catalog(&s.source, &s.date, s.confidence.is_estimate()),
        )
    }

    /// The catalog's price of `tool` in force on the context's day, per unit, in `to`: the row
    /// DeepSeek publishes in `to` where it has one, else the USD or CNY row converted. `None`
    /// before the tool was billed.
    pub fn api_tool(&self, tool: ApiTool, to: Currency, rate: f64) -> Option<UnitPrice> {
        let today = self.today;
        let rows: Vec<&ToolPrice> = Catalog::get()
            .cloud
            .tool_prices
            .iter()
            .filter(|r| {
                r.tool == tool
                    && Day::parse(&r.effective_from).is_some_and(|f| f <= today)
                    && r.effective_until
                        .as_deref()
                        .and_then(Day::parse)
                        .is_none_or(|u| today < u)
            })
            .collect();
        let newest = |c: Option<Currency>| {
            rows.iter()
                .filter(|r| c.is_none_or(|c| r.currency == c))
                .max_by(|a, b| a.effective_from.cmp(&b.effective_from))
        };
        let r = newest(Some(to)).or_else(|| newest(None))?;
        Some(UnitPrice {
            price: convert(r.price, r.currency, to, rate),
            per: r.per,
            service: "DeepSeek API".into(),
            source: Source::catalog(&r.source, &r.effective_from, r.confidence.is_estimate()),
        })
    }

    /// The service the user's price file names to replace `tool` on self-hosted options.
    pub fn tool_service(&self, tool: ApiTool, to: Currency, rate: f64) -> Option<UnitPrice> {
        let q = self
            .user
            .tool_services
            .iter()
            .filter(|q| q.tool == tool)
            .max_by_key(|q| q.date)?;
        Some(UnitPrice {
            price: convert(q.price.0, q.currency, to, rate),
            per: q.per.0,
            service: q.service.clone(),
            source: Source::user_file(&user_label(&q.source, &self.user_file), q.date.0),
        })
    }

    /// The catalog's price row for `endpoint` in force on the context's day: in `to` where
    /// DeepSeek publishes that currency, else in USD. An endpoint retired before that day gives
    /// its last row.
    fn api_row(&self, endpoint: &str, to: Currency) -> Option<&'static ApiPrice> {
        let rows: Vec<&ApiPrice> = Catalog::get()
            .cloud
            .api_prices
            .iter()
            .filter(|r| r.endpoint == endpoint && !r.discount)
            .collect();
        let today = self.today;
        let in_force = |r: &&ApiPrice| {
            Day::parse(&r.effective_from).is_some_and(|f| f <= today)
                && r.effective_until
                    .as_deref()
                    .and_then(Day::parse)
                    .is_none_or(|u| today < u)
        };
        let newest = |c: Currency, only_in_force: bool| {
            rows.iter()
                .filter(|r| r.currency == c && (!only_in_force || in_force(r)))
                .max_by(|a, b| a.effective_from.cmp(&b.effective_from))
                .copied()
        };
        newest(to, true)
            .or_else(|| newest(Currency::Usd, true))
            .or_else(|| newest(to, false))
            .or_else(|| newest(Currency::Usd, false))
    }

    /// `endpoint`'s price for the context's day in `to`, with the user's discount or prices.
    pub fn api(&self, endpoint: &str, to: Currency, rate: f64) -> Option<ApiOffer> {
        let row = self.api_row(endpoint, to)?;
        let off_peak = converted(row_prices(row), row.currency, to, rate);
        let peak = row
            .peak
            .map_or(off_peak, |p| converted(p, row.currency, to, rate));
        let retired = row
            .effective_until
            .as_deref()
            .and_then(Day::parse)
            .is_some_and(|u| self.today >= u);
        let mut offer = ApiOffer {
            endpoint: endpoint.to_string(),
            serves: row.serves.clone(),
            serves_model: row.serves_model.clone(),
            effective_from: row.effective_from.clone(),
            effective_until: row.effective_until.clone(),
            retired,
            off_peak,
            peak,
            source: Source::catalog(
                &row.source,
                &row.effective_from,
                row.confidence.is_estimate(),
            ),
        };
        if let Some(q) = self
            .user
            .api
            .iter()
            .filter(|q| q.endpoint == endpoint)
            .max_by_key(|q| q.date)
        {
            let label = user_label(&q.source, &self.user_file);
            match &q.terms {
                ApiTerms::DiscountPercent(d) => {
                    let k = 1.0 - d / 100.0;
                    offer.off_peak = scale(offer.off_peak, k);
                    offer.peak = scale(offer.peak, k);
                    offer.source =
                        Source::user_file(&format!("{label}: {d}% off the list price"), q.date.0);
                }
                ApiTerms::Prices {
                    currency,
                    off_peak,
                    peak,
                } => {
                    offer.off_peak = converted(*off_peak, *currency, to, rate);
                    offer.peak = converted(peak.unwrap_or(*off_peak), *currency, to, rate);
                    offer.source = Source::user_file(&label, q.date.0);
                }
            }
        }
        Some(offer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn the_api_row_in_force_on_the_day_in_deepseeks_own_currency() {
        let ctx = PriceContext::catalog_only(day("2026-12-01"));
        let cny = ctx.api("deepseek-flash", Currency::Cny, 6.8).unwrap();
        assert_eq!(
            cny.serves_model.as_deref(),
            Some("deepseek-v4.1-flash-1017")
        );
        assert_eq!(cny.off_peak.cache_miss_per_mtok, 1.0);
        assert_eq!(cny.peak.output_per_mtok, 8.0);
        let usd = ctx.api("deepseek-flash", Currency::Usd, 6.8).unwrap();
        assert_eq!(usd.off_peak.output_per_mtok, 0.60);
        assert_eq!(usd.peak.output_per_mtok, 1.20);
        // On 2026-08-20 the flash endpoint did not exist yet; v4-flash served 0731 at peak billing.
        let aug = PriceContext::catalog_only(day("2026-08-20"));
        assert!(
            aug.api("deepseek-flash", Currency::Usd, 6.8)
                .unwrap()
                .effective_from
                > "2026-08-20".into()
        );
        let v4 = aug.api("deepseek-v4-flash", Currency::Usd, 6.8).unwrap();
        assert_eq!(v4.off_peak.cache_miss_per_mtok, 0.22);
        assert_eq!(v4.serves_model.as_deref(), Some("deepseek-v4-flash-0731"));
        // The retired aliases give their last price, flagged.
        let gone = ctx.api("deepseek-reasoner", Currency::Usd, 6.8).unwrap();
        assert!(gone.retired);
        assert_eq!(gone.effective_until.as_deref(), Some("2026-07-24"));
        // A USD-only period converts.
        let v32 = PriceContext::catalog_only(day("2026-01-10"))
            .api("deepseek-chat", Currency::Cny, 6.8)
            .unwrap();
        assert!((v32.off_peak.output_per_mtok - 0.42 * 6.8).abs() < 1e-9);
        assert_eq!(v32.peak, v32.off_peak);
    }

    #[test]
    fn tool_prices_in_force_in_deepseeks_own_currency() {
        let ctx = PriceContext::catalog_only(day("2026-12-01"));
        let s = ctx.api_tool(ApiTool::Search, Currency::Cny, 6.8).unwrap();
        assert_eq!((s.price, s.per), (5.0, 1000.0));
        assert!(!s.source.estimate, "{s:?}");
        let u = ctx.api_tool(ApiTool::Search, Currency::Usd, 6.8).unwrap();
        assert_eq!(u.price, 0.75);
        assert!(u.source.estimate);
        let tts = ctx.api_tool(ApiTool::Tts, Currency::Usd, 6.8).unwrap();
        assert!((tts.per_unit() - 3.0 / 6.8 / 10_000.0).abs() < 1e-15);
        // Not billed before 2026-11-01.
        let before = PriceContext::catalog_only(day("2026-10-31"));
        assert!(before
            .api_tool(ApiTool::Fetch, Currency::Cny, 6.8)
            .is_none());
        assert!(ctx
            .tool_service(ApiTool::Search, Currency::Cny, 6.8)
            .is_none());
    }

    #[test]
    fn rentals_skip_capacity_blocks_assumptions_and_estimates() {
        let ctx = PriceContext::catalog_only(day("2026-12-01"));
        let h200 = ctx.cloud_gpu_hour("h200-sxm", Currency::Usd, 6.8).unwrap();
        // CoreWeave HGX H200, $6.305/GPU-h — not the 2024 capacity block at $5.408.
        assert!((h200.value - 6.305).abs() < 1e-9, "{h200:?}");
        let h800 = ctx.cloud_gpu_hour("h800-sxm", Currency::Usd, 6.8);
        assert!(
            h800.is_none(),
            "DeepSeek's own $2 assumption is not an offer: {h800:?}"
        );
        let r4090 = ctx.cloud_gpu_hour("rtx-4090", Currency::Cny, 6.8).unwrap();
        assert_eq!(r4090.value, 2.18);
        assert_eq!(r4090.source.date, "2026-08-30");
    }
}
