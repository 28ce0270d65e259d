//! `deepseek-advisor report SCENARIO.ron --format md|html [--out FILE]`: the scenario's report,
//! written to FILE (Markdown charts as PNG files beside it) or printed.

use super::{lang_arg, prices_arg, CliError, ReportArgs, EXIT_INTERNAL};
use crate::report::{self, Format};
use crate::scenario::Scenario;
use std::io::Write;

pub(super) fn run(
    a: &ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let format = match (&a.format, &a.out) {
        (Some(f), _) => Format::from_name(f).ok_or_else(|| {
            CliError::bad_input(format!(
                "--format: unknown format `{f}` (expected md or html)"
            ))
        })?,
        (None, Some(path)) => Format::from_path(path).ok_or_else(|| {
            CliError::bad_input(format!(
                "--format: missing, and {} does not end in .md or .html",
                path.display()
            ))
        })?,
        (None, None) => return Err(CliError::bad_input("--format: missing (md or html)")),
    };
    let mut scenario =
        Scenario::load(&a.scenario).map_err(|e| CliError::bad_input(e.to_string()))?;
    // As in `plan`: a measurement of this deployment's server sets its capacity.
    scenario.costs.measured = super::measured::curve_for(&scenario.costs.deployment);
    let plan = crate::cost::plan(&scenario.costs, &prices_arg::context(&a.price)?);
    let (machine, origin) = report::scenario_hardware(&scenario, crate::hardware::detect::detect);
    let doc = report::document(&scenario, &plan, machine.as_ref(), origin, lang);
    let prefix = report::image_prefix(a.out.as_deref().unwrap_or(&a.scenario));
    let rendered = report::render(&doc, format, lang, &prefix).map_err(|message| CliError {
        code: EXIT_INTERNAL,
        message,
    })?;
    match &a.out {
        Some(path) => {
            let mut written = report::write(path, &rendered)
                .map_err(|e| CliError::bad_input(format!("--out: {e}")))?;
            // The report first, then its charts, one path a line (as `deploy` lists its files).
            written.rotate_right(1);
            let list: String = written
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect();
            out.write_all(list.as_bytes()).map_err(|e| CliError {
                code: super::EXIT_INTERNAL,
                message: format!("cannot write output: {e}"),
            })?;
        }
        None => {
            out.write_all(rendered.text.as_bytes())
                .map_err(|e| CliError {
                    code: EXIT_INTERNAL,
                    message: format!("cannot write output: {e}"),
                })?;
            if !rendered.images.is_empty() {
                let _ = writeln!(
                    err,
                    "note: the charts were not written; use --out FILE.md to write them beside the report"
                );
            }
        }
    }
    Ok(())
}
