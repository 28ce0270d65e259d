//! A small YAML writer for the Compose and Kubernetes files: block maps and sequences, plain
//! scalars where YAML 1.1 and 1.2 read them the same way, double-quoted strings otherwise.
//! (Written here rather than pulled in: the output is a few shapes, and `serde_yaml` is
//! unmaintained; tests parse every file with `yaml-rust2`.)

/// A YAML value. Map keys keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Str(String),
    Int(i64),
    Bool(bool),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    pub fn map<K: Into<String>>(pairs: Vec<(K, Yaml)>) -> Yaml {
        Yaml::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn strs<S: AsRef<str>>(items: &[S]) -> Yaml {
        Yaml::Seq(items.iter().map(|s| Yaml::str(s.as_ref())).collect())
    }

    fn is_collection(&self) -> bool {
        matches!(self, Yaml::Seq(v) if !v.is_empty())
            || matches!(self, Yaml::Map(m) if !m.is_empty())
    }
}

impl From<u32> for Yaml {
    fn from(n: u32) -> Yaml {
        Yaml::Int(i64::from(n))
    }
}

/// Words YAML 1.1 reads as booleans or null.
const RESERVED: [&str; 12] = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "nan", "inf",
];

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// A string as a YAML scalar: plain when unambiguous, else double-quoted with escapes.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inline(v: &Yaml) -> String {
    match v {
        Yaml::Str(s) => scalar(s),
        Yaml::Int(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Seq(_) => "[]".into(),
        Yaml::Map(_) => "{}".into(),
    }
}

fn write(out: &mut String, v: &Yaml, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Yaml::Map(pairs) => {
            for (k, val) in pairs {
                if val.is_collection() {
                    out.push_str(&format!("{pad}{}:\n", scalar(k)));
                    write(out, val, indent + 2);
                } else {
                    out.push_str(&format!("{pad}{}: {}\n", scalar(k), inline(val)));
                }
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                if item.is_collection() {
                    // The first line of the item follows the dash; the rest indents under it.
                    let mut inner = String::new();
                    write(&mut inner, item, indent + 2);
                    let body = inner.trim_start_matches(' ');
                    out.push_str(&format!("{pad}- {body}"));
                } else {
                    out.push_str(&format!("{pad}- {}\n", inline(item)));
                }
            }
        }
        scalar_value => out.push_str(&format!("{pad}{}\n", inline(scalar_value))),
    }
}

/// One document.
pub fn to_string(v: &Yaml) -> String {
    let mut out = String::new();
    write(&mut out, v, 0);
    out
}

/// Several documents in one file, each after `---`, with `# ` comment lines first.
pub fn documents(comments: &[String], docs: &[Yaml]) -> String {
    let mut out = String::new();
    for c in comments {
        for line in c.lines() {
            out.push_str(&format!("# {line}\n"));
        }
    }
    for d in docs {
        out.push_str("---\n");
        out.push_str(&to_string(d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "8000:8000",
            "true",
            "no",
            "1",
            "0.5",
            "",
            "-x",
            "a b",
            "x\"y",
            "$(V)",
        ] {
            assert!(scalar(s).starts_with('"'), "{s} must be quoted");
        }
        for s in ["vllm", "nvidia.com/gpu", "deepseek-r1"] {
            assert_eq!(scalar(s), s);
        }
        assert_eq!(scalar("a\nb\"c\\"), "\"a\\nb\\\"c\\\\\"");
    }

    #[test]
    fn nested_blocks() {
        let v = Yaml::map(vec![
            ("a", Yaml::Int(1)),
            (
                "b",
                Yaml::Seq(vec![Yaml::map(vec![
                    ("c", Yaml::str("d")),
                    ("e", Yaml::strs(&["f"])),
                ])]),
            ),
            ("g", Yaml::Map(vec![])),
        ]);
        assert_eq!(
            to_string(&v),
            "a: 1\nb:\n  - c: d\n    e:\n      - f\ng: {}\n"
        );
    }
}
