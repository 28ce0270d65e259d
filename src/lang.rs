//! Output language for text the library renders (verdict reasons, tables).

use crate::catalog::schema::Currency;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The system locale's language: Chinese for `zh*`, English otherwise.
    pub fn from_system() -> Lang {
        sys_locale::get_locale()
            .map(|l| Lang::from_locale(&l))
            .unwrap_or_default()
    }

    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks the string for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "cn" | "zh-cn" | "chinese" | "中文" => Ok(Lang::Zh),
            _ => Err(format!("unknown language `{s}` (expected en or zh)")),
        }
    }
}

/// `1,234,567` in English; in Chinese amounts of 10,000 and more use 万 (and 亿).
pub fn format_amount(lang: Lang, v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    match lang {
        Lang::Zh if v.abs() >= 1e8 => format!("{:.2} 亿", v / 1e8),
        Lang::Zh if v.abs() >= 1e4 => format!("{:.1} 万", v / 1e4),
        _ => {
            let s = format!("{:.0}", v.abs());
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            if v < 0.0 {
                format!("-{out}")
            } else {
                out
            }
        }
    }
}

/// ISO code of a currency: `CNY`, `USD`.
pub fn currency_code(c: Currency) -> &'static str {
    match c {
        Currency::Usd => "USD",
        Currency::Cny => "CNY",
    }
}

/// An amount with its currency code as `plan` and reports print it: `1,234 USD`, `12.3 万 CNY`.
pub fn format_money(lang: Lang, v: f64, c: Currency) -> String {
    format!("{} {}", format_amount(lang, v), currency_code(c))
}

/// The sign of a currency: `$`, `¥`.
pub fn currency_symbol(c: Currency) -> &'static str {
    match c {
        Currency::Usd => "$",
        Currency::Cny => "¥",
    }
}

/// An amount after its currency symbol, as the app shows it: `¥93,000` in English, `¥9.3 万` in
/// Chinese.
pub fn format_with_symbol(lang: Lang, currency: Currency, v: f64) -> String {
    format!("{}{}", currency_symbol(currency), format_amount(lang, v))
}
