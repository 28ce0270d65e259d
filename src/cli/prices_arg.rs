//! `--prices FILE.ron` and `--today YYYY-MM-DD`: the price context of `plan` and `buy`. The CLI
//! reads only the file it is given, never the app's price file implicitly, so a script's answer
//! does not depend on whose account runs it.

use super::{CliError, PriceArgs};
use crate::prices::{Day, PriceContext, UserPrices};

pub(super) fn context(a: &PriceArgs) -> Result<PriceContext, CliError> {
    let today = match &a.today {
        Some(t) => Day::parse_exact(t).ok_or_else(|| {
            CliError::bad_input(format!("--today: must be a date YYYY-MM-DD, got `{t}`"))
        })?,
        None => Day::today(),
    };
    Ok(match &a.prices {
        Some(path) => {
            let user = UserPrices::load(path)
                .map_err(|e| CliError::bad_input(format!("--prices: {e}")))?;
            PriceContext::with_user(user, path.display().to_string(), today)
        }
        None => PriceContext::catalog_only(today),
    })
}
