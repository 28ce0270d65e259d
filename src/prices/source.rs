//! Where a price comes from: the catalog (with its source and date), the user's price file ("your
//! quote") or the scenario itself — so every number shown can say so.

use crate::catalog::schema::Currency;
use crate::date::Day;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A row of the embedded catalog.
    Catalog,
    /// The user's price file.
    UserFile,
    /// A value typed into the scenario (Costs tab or the file).
    Scenario,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub origin: Origin,
    /// Who published or quoted it: `AE-CW`, `JD.com quote`; empty for a scenario value.
    pub label: String,
    /// The date as written (`2026-11-15`, `2025-07`); empty when undated.
    pub date: String,
    /// The catalog marks the figure as an estimate (derived, unverified or weak source).
    pub estimate: bool,
}

impl Source {
    pub fn catalog(label: &str, date: &str, estimate: bool) -> Source {
        Source {
            origin: Origin::Catalog,
            label: label.into(),
            date: date.into(),
            estimate,
        }
    }

    pub fn user_file(label: &str, date: Day) -> Source {
        Source {
            origin: Origin::UserFile,
            label: label.into(),
            date: date.to_string(),
            estimate: false,
        }
    }

    pub fn scenario() -> Source {
        Source {
            origin: Origin::Scenario,
            label: String::new(),
            date: String::new(),
            estimate: false,
        }
    }

    /// The user gave this number (price file or scenario), not the catalog.
    pub fn user(&self) -> bool {
        self.origin != Origin::Catalog
    }

    pub fn day(&self) -> Option<Day> {
        Day::parse(&self.date)
    }

    /// `your quote, 2026-11-30 (JD.com)`, `catalog: AE-CW, 2026-09-20`, `this scenario`.
    pub fn describe(&self, lang: Lang) -> String {
        let tail = |s: String| {
            if self.label.is_empty() {
                s
            } else {
                format!("{s} ({})", self.label)
            }
        };
        match self.origin {
            Origin::UserFile => tail(format!(
                "{}, {}",
                lang.pick("your quote", "您的报价"),
                self.date
            )),
            Origin::Scenario => lang.pick("this scenario", "本方案中设定").to_string(),
            Origin::Catalog => {
                let kind = if self.estimate {
                    lang.pick("catalog estimate", "目录估计值")
                } else {
                    lang.pick("catalog", "目录")
                };
                let date = if self.date.is_empty() {
                    lang.pick("undated", "无日期").to_string()
                } else {
                    self.date.clone()
                };
                format!("{kind}: {}, {date}", self.label)
            }
        }
    }
}

/// A resolved price with its origin: one row of `plan --json`'s `price_sources[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSource {
    /// What it prices: `GPU purchase (rtx-4090)`, `API cache miss, peak (deepseek-flash)`.
    pub item: String,
    pub value: f64,
    pub currency: Currency,
    pub source: Source,
}

/// The newest dated source among `sources`: the date the answer's prices are "as of".
pub fn newest<'a>(sources: impl Iterator<Item = &'a Source>) -> Option<Day> {
    sources.filter_map(Source::day).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_say_whose_number_it_is() {
        let q = Source::user_file("JD.com", Day::new(2026, 11, 30).unwrap());
        assert_eq!(q.describe(Lang::En), "your quote, 2026-11-30 (JD.com)");
        assert!(q.user());
        let c = Source::catalog("AE-CW", "2026-09-20", false);
        assert_eq!(c.describe(Lang::En), "catalog: AE-CW, 2026-09-20");
        assert!(!c.user());
        assert_eq!(Source::scenario().describe(Lang::Zh), "本方案中设定");
        assert_eq!(
            newest([c.clone(), q.clone(), Source::scenario()].iter()),
            Day::new(2026, 11, 30)
        );
    }
}
