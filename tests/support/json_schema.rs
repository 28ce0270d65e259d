//! A small JSON Schema validator for the pinned schemas in tests/schemas (Compose Specification,
//! Kubernetes 1.33 objects, the LeaderWorkerSet CRD): the keywords those files use — `$ref` to
//! local definitions, type, properties, required, additionalProperties, patternProperties,
//! items, oneOf, anyOf, enum, pattern, minimum/maximum, min/maxLength and
//! `x-kubernetes-int-or-string`. A keyword it does not know that would constrain a value makes
//! it panic, so a schema bump cannot silently validate less.

use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;

/// Keywords that only describe (or that Kubernetes applies server-side).
const IGNORED: [&str; 17] = [
    "description",
    "default",
    "format",
    "uniqueItems",
    "deprecated",
    "title",
    "$schema",
    "$id",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-preserve-unknown-fields",
    "definitions",
    "$comment",
    "examples",
    "readOnly",
    "nullable",
];

pub struct Schemas {
    defs: HashMap<String, Value>,
    regexes: std::sync::Mutex<HashMap<String, Regex>>,
}

impl Schemas {
    /// Loads the `definitions` of every file into one namespace.
    pub fn load(files: &[&str]) -> Schemas {
        let mut defs = HashMap::new();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
            let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
            for (k, d) in v["definitions"].as_object().into_iter().flatten() {
                assert!(
                    defs.insert(k.clone(), d.clone()).is_none(),
                    "definition {k} appears in two schema files"
                );
            }
            defs.insert(format!("file:{f}"), v);
        }
        Schemas {
            defs,
            regexes: Default::default(),
        }
    }

    /// The whole file loaded from `path`, as a schema.
    pub fn file(&self, path: &str) -> &Value {
        &self.defs[&format!("file:{path}")]
    }

    pub fn def(&self, name: &str) -> &Value {
        self.defs
            .get(name)
            .unwrap_or_else(|| panic!("no definition {name}"))
    }

    fn matches(&self, pattern: &str, s: &str) -> bool {
        let mut cache = self.regexes.lock().unwrap();
        let re = cache
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")));
        re.is_match(s)
    }

    /// Every violation of `schema` by `v`, each with its JSON path.
    pub fn validate(&self, schema: &Value, v: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, v, "$", &mut errors);
        errors
    }

    fn type_ok(t: &str, v: &Value) -> bool {
        match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            other => panic!("unknown type {other}"),
        }
    }

    fn check(&self, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{path}: not allowed"));
            }
            return;
        };
        for key in s.keys() {
            let known = IGNORED.contains(&key.as_str())
                || matches!(
                    key.as_str(),
                    "$ref"
                        | "type"
                        | "properties"
                        | "required"
                        | "additionalProperties"
                        | "patternProperties"
                        | "items"
                        | "oneOf"
                        | "anyOf"
                        | "enum"
                        | "pattern"
                        | "minimum"
                        | "maximum"
                        | "minLength"
                        | "maxLength"
                        | "x-kubernetes-int-or-string"
                );
            assert!(known, "schema keyword {key} at {path} is not supported");
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r
                .rsplit('/')
                .next()
                .unwrap_or_else(|| panic!("bad $ref {r}"));
            self.check(self.def(name), v, path, errors);
        }
        if s.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
            if !(v.is_string() || v.is_i64() || v.is_u64()) {
                errors.push(format!("{path}: expected an integer or a string"));
            }
        } else if let Some(t) = s.get("type") {
            let ok = match t {
                Value::String(t) => Self::type_ok(t, v),
                Value::Array(ts) => ts.iter().any(|t| Self::type_ok(t.as_str().unwrap(), v)),
                _ => true,
            };
            if !ok {
                errors.push(format!("{path}: expected {t}, got {v}"));
                return;
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            if !e.contains(v) {
                errors.push(format!("{path}: {v} is not one of {e:?}"));
            }
        }
        if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
            if !self.matches(p, text) {
                errors.push(format!("{path}: {text:?} does not match {p}"));
            }
        }
        if let Some(text) = v.as_str() {
            let n = text.chars().count() as u64;
            if s.get("minLength")
                .and_then(Value::as_u64)
                .is_some_and(|m| n < m)
                || s.get("maxLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| n > m)
            {
                errors.push(format!("{path}: length {n} out of bounds"));
            }
        }
        if let Some(x) = v.as_f64() {
            if s.get("minimum")
                .and_then(Value::as_f64)
                .is_some_and(|m| x < m)
                || s.get("maximum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| x > m)
            {
                errors.push(format!("{path}: {x} out of bounds"));
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    errors.push(format!("{path}: missing required {r}"));
                }
            }
            for (k, child) in obj {
                let p = format!("{path}.{k}");
                let mut matched = false;
                if let Some(ps) = props.and_then(|ps| ps.get(k)) {
                    matched = true;
                    self.check(ps, child, &p, errors);
                }
                for (pat, ps) in s
                    .get("patternProperties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if self.matches(pat, k) {
                        matched = true;
                        self.check(ps, child, &p, errors);
                    }
                }
                if !matched {
                    match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            errors.push(format!("{p}: not a field of this object"))
                        }
                        Some(a @ Value::Object(_)) => self.check(a, child, &p, errors),
                        _ => {}
                    }
                }
            }
        }
        if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
            for (i, child) in arr.iter().enumerate() {
                self.check(items, child, &format!("{path}[{i}]"), errors);
            }
        }
        let passing = |list: &Value| {
            list.as_array()
                .into_iter()
                .flatten()
                .filter(|alt| {
                    let mut e = Vec::new();
                    self.check(alt, v, path, &mut e);
                    e.is_empty()
                })
                .count()
        };
        if let Some(alts) = s.get("oneOf") {
            let n = passing(alts);
            if n != 1 {
                errors.push(format!("{path}: matches {n} of oneOf, not exactly one"));
            }
        }
        if let Some(alts) = s.get("anyOf") {
            if passing(alts) == 0 {
                errors.push(format!("{path}: matches none of anyOf"));
            }
        }
    }
}

/// YAML (as yaml-rust2 reads it) as JSON.
pub fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(r) => r.parse::<f64>().map_or(Value::Null, Value::from),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}
