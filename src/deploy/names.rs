//! Names that land inside generated files: Kubernetes object names and Compose services must be
//! DNS-1123 labels (lower-case letters, digits, '-', starting and ending alphanumeric, ≤ 63).

/// Longest base name; suffixes such as `-prefill-leader` and the pod ordinals LeaderWorkerSet
/// appends must still fit 63 characters.
pub const MAX_BASE: usize = 40;

/// `text` as a DNS-1123 label of at most `max` characters; `fallback` when nothing is left.
pub fn dns_label(text: &str, max: usize, fallback: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
        if out.len() >= max {
            break;
        }
    }
    out.truncate(max);
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// True for a valid DNS-1123 label.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// One line of free text for a comment or README: control characters and newlines become spaces
/// so a scenario name cannot start a new line of YAML or shell.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_valid() {
        for s in [
            "DeepSeek-R1 0528 / SGLang",
            "../../etc/passwd",
            "",
            "---",
            "模型",
            "a".repeat(200).as_str(),
        ] {
            let l = dns_label(s, MAX_BASE, "deepseek");
            assert!(is_dns_label(&l), "{s:?} -> {l:?}");
            assert!(l.len() <= MAX_BASE);
        }
        assert_eq!(dns_label("DeepSeek-R1 0528", 40, "x"), "deepseek-r1-0528");
    }

    #[test]
    fn one_line_removes_newlines() {
        assert_eq!(one_line("a\nb\r\tc"), "a b  c");
    }
}
