//! GGUF metadata values and typed look-ups (`general.architecture`, `{arch}.block_count`, …).

/// One metadata value. Large arrays (the tokenizer's vocabulary and merges) are passed over and
/// kept only as their element type and length.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    F32(f32),
    Bool(bool),
    String(String),
    U64(u64),
    I64(i64),
    F64(f64),
    Array {
        /// GGUF value type id of the elements.
        element_type: u32,
        len: u64,
        /// The elements when the array is small enough to keep (see `gguf::KEEP_ARRAY_ITEMS`).
        items: Option<Vec<Value>>,
    },
}

impl Value {
    /// The value as an unsigned integer, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::U8(x) => Some(u64::from(x)),
            Value::U16(x) => Some(u64::from(x)),
            Value::U32(x) => Some(u64::from(x)),
            Value::U64(x) => Some(x),
            Value::I8(x) => u64::try_from(x).ok(),
            Value::I16(x) => u64::try_from(x).ok(),
            Value::I32(x) => u64::try_from(x).ok(),
            Value::I64(x) => u64::try_from(x).ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Integer elements of a kept array.
    pub fn as_u64_list(&self) -> Option<Vec<u64>> {
        match self {
            Value::Array {
                items: Some(items), ..
            } => items.iter().map(Value::as_u64).collect(),
            _ => None,
        }
    }

    /// A short rendering for reports: scalars as themselves, arrays as `[type; len]` or their
    /// elements when kept.
    pub fn display(&self) -> String {
        match self {
            Value::U8(x) => x.to_string(),
            Value::I8(x) => x.to_string(),
            Value::U16(x) => x.to_string(),
            Value::I16(x) => x.to_string(),
            Value::U32(x) => x.to_string(),
            Value::I32(x) => x.to_string(),
            Value::F32(x) => x.to_string(),
            Value::Bool(x) => x.to_string(),
            Value::String(s) => s.clone(),
            Value::U64(x) => x.to_string(),
            Value::I64(x) => x.to_string(),
            Value::F64(x) => x.to_string(),
            Value::Array {
                items: Some(items), ..
            } => format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Array { len, .. } => format!("[{len} items]"),
        }
    }
}

/// The key/value pairs of a GGUF header, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub entries: Vec<(String, Value)>,
}

impl Metadata {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    pub fn u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    /// `general.architecture`.
    pub fn architecture(&self) -> Option<&str> {
        self.str("general.architecture")
    }

    /// A per-architecture key (`{arch}.suffix`) as an integer. Keys some architectures store per
    /// layer (an array) give their largest element.
    pub fn arch_u64(&self, suffix: &str) -> Option<u64> {
        let arch = self.architecture()?;
        let v = self.get(&format!("{arch}.{suffix}"))?;
        v.as_u64()
            .or_else(|| v.as_u64_list().and_then(|l| l.into_iter().max()))
    }

    /// Every `{arch}.*` key with its value, for the report (DeepSeek V4 files carry compression
    /// and indexer keys this module does not interpret).
    pub fn arch_keys(&self) -> Vec<(String, String)> {
        let Some(arch) = self.architecture() else {
            return Vec::new();
        };
        let prefix = format!("{arch}.");
        self.entries
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.display()))
            .collect()
    }
}
