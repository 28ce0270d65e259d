//! Prices with their provenance (DESIGN.md §4): catalog rows and the user's own quotes, on a given
//! day. Egui-free; the cost model and `buy` read every price through `PriceContext`.

pub mod book;
pub mod holidays;
pub mod source;
pub mod user_file;

/// Price dates are calendar days (`crate::date` owns the calendar).
pub use crate::date::Day;
pub use book::{convert, ApiOffer, PriceContext, Quoted, SystemOffer, UnitPrice};
pub use source::{newest, Origin, PriceSource, Source};
pub use user_file::UserPrices;

/// A price older than this many days (relative to today) is called out next to the answer.
pub const STALE_AFTER_DAYS: i64 = 90;
