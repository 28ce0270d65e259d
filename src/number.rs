//! Numbers as they leave the program in JSON and reports: finite and rounded, so no NaN or
//! infinity reaches a script or a reader.

/// Rounds to 3 decimals; a non-finite value (a bug) becomes 0.
pub fn finite(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        debug_assert!(false, "non-finite number reached the output");
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::finite;

    #[test]
    fn rounds_to_three_decimals() {
        assert_eq!(finite(1.23456), 1.235);
        assert_eq!(finite(-0.0004), -0.0);
        assert_eq!(finite(2.5e9), 2.5e9);
    }
}
