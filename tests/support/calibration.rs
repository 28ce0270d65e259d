//! What the calibration tables share: which set a measured row belongs to, and the median.

/// Whether a value of the model was chosen from a row.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Set {
    /// A value of the model was chosen from it.
    Fit,
    /// Kept aside to check the result.
    Holdout,
    /// Early software (2025 sweeps, day-0 V4 kernels): printed, not counted.
    History,
}

/// The median (the upper middle value for an even count; 0 for none).
pub fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
