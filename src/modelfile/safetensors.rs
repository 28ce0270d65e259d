//! safetensors headers: an 8-byte little-endian length, then that many bytes of JSON mapping each
//! tensor to `{dtype, shape, data_offsets}` (plus an optional `__metadata__` map of strings).
//! Only the JSON is read; sizes come from `data_offsets` and are checked against dtype × shape.

use super::bounded::Bounded;
use super::tensor::Tensor;
use serde_json::Value;
use std::io::Read;

/// safetensors dtypes with their bits per element (the format's `Dtype` list; FP4/FP6 are
/// sub-byte, and packed FP4 checkpoints often store pairs of values as `U8`/`I8`).
const DTYPES: [(&str, u64); 20] = [
    ("BOOL", 8),
    ("F4", 4),
    ("F6_E2M3", 6),
    ("F6_E3M2", 6),
    ("U8", 8),
    ("I8", 8),
    ("F8_E5M2", 8),
    ("F8_E4M3", 8),
    ("F8_E8M0", 8),
    ("I16", 16),
    ("U16", 16),
    ("F16", 16),
    ("BF16", 16),
    ("I32", 32),
    ("U32", 32),
    ("F32", 32),
    ("C64", 64),
    ("F64", 64),
    ("I64", 64),
    ("U64", 64),
];

/// What one safetensors file's header holds.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetensorsHeader {
    pub tensors: Vec<Tensor>,
    /// `__metadata__` entries (`format: pt`, …).
    pub metadata: Vec<(String, String)>,
    pub file_len: u64,
}

fn dtype(name: &str) -> Option<(&'static str, u64)> {
    DTYPES.iter().find(|(d, _)| *d == name).copied()
}

fn uint_list(v: Option<&Value>) -> Option<Vec<u64>> {
    v?.as_array()?.iter().map(Value::as_u64).collect()
}

fn tensor(name: &str, v: &Value, data_len: u64, data_start: u64) -> Result<Tensor, String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("tensor `{name}` is not a JSON object"))?;
    let dt = obj
        .get("dtype")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("tensor `{name}` has no `dtype`"))?;
    let (dt, bits) =
        dtype(dt).ok_or_else(|| format!("tensor `{name}` has unknown dtype `{dt}`"))?;
    let shape = uint_list(obj.get("shape"))
        .ok_or_else(|| format!("tensor `{name}` has no valid `shape` (a list of integers)"))?;
    let offsets = uint_list(obj.get("data_offsets"))
        .filter(|o| o.len() == 2)
        .ok_or_else(|| format!("tensor `{name}` has no valid `data_offsets` ([begin, end])"))?;
    let (begin, end) = (offsets[0], offsets[1]);
    if begin > end || end > data_len {
        return Err(format!(
            "tensor `{name}` has data_offsets [{begin}, {end}] outside the {data_len} data bytes of the file: truncated download?"
        ));
    }
    let elements = shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| format!("tensor `{name}` has absurd shape {shape:?}"))?;
    let bytes = end - begin;
    let expected = elements.checked_mul(bits).map(|b| b.div_ceil(8));
    if expected != Some(bytes) {
        return Err(format!(
            "tensor `{name}` holds {bytes} bytes but {dt} × {shape:?} needs {}",
            expected.map_or("more than 2^64".to_string(), |e| e.to_string())
        ));
    }
    Ok(Tensor {
        name: name.to_string(),
        shape,
        dtype: dt,
        elements,
        bytes,
        offset: data_start + begin,
    })
}

/// Parses the header of a safetensors file of `file_len` bytes, reading at most `cap` bytes.
pub fn parse<R: Read>(r: R, file_len: u64, cap: u64) -> Result<SafetensorsHeader, String> {
    let mut r = Bounded::new(r, file_len, cap);
    let len = r.u64(&|| "the 8-byte header length".into())?;
    let mut json = Vec::new();
    r.ensure(len, &|| format!("the {len}-byte JSON header"))?;
    json.resize(len as usize, 0);
    r.bytes(&mut json, &|| "the JSON header".into())?;
    let v: Value = serde_json::from_slice(&json).map_err(|e| {
        format!(
            "the JSON header is invalid at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let obj = v
        .as_object()
        .ok_or_else(|| "the JSON header is not an object".to_string())?;
    let data_start = 8 + len;
    let data_len = file_len - data_start;
    let mut tensors = Vec::with_capacity(obj.len());
    let mut metadata = Vec::new();
    for (name, v) in obj {
        if name == "__metadata__" {
            let m = v
                .as_object()
                .ok_or_else(|| "`__metadata__` is not an object".to_string())?;
            for (k, v) in m {
                metadata.push((k.clone(), v.as_str().unwrap_or_default().to_string()));
            }
            continue;
        }
        tensors.push(tensor(name, v, data_len, data_start)?);
    }
    Ok(SafetensorsHeader {
        tensors,
        metadata,
        file_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(json: &str, data: usize) -> Vec<u8> {
        let mut f = (json.len() as u64).to_le_bytes().to_vec();
        f.extend_from_slice(json.as_bytes());
        f.resize(f.len() + data, 0);
        f
    }

    #[test]
    fn sizes_come_from_offsets_and_must_match_the_shape() {
        let j = r#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F8_E4M3","shape":[4,8],"data_offsets":[0,32]},"b":{"dtype":"F4","shape":[3],"data_offsets":[32,34]}}"#;
        let f = file(j, 34);
        let h = parse(&f[..], f.len() as u64, 1 << 20).unwrap();
        assert_eq!(h.tensors.len(), 2);
        assert_eq!(h.tensors.iter().map(|t| t.bytes).sum::<u64>(), 34);
        assert_eq!(h.metadata, vec![("format".into(), "pt".into())]);

        let j = r#"{"a":{"dtype":"BF16","shape":[4,8],"data_offsets":[0,32]}}"#;
        let f = file(j, 32);
        let e = parse(&f[..], f.len() as u64, 1 << 20).unwrap_err();
        assert!(e.contains("needs 64"), "{e}");
    }

    #[test]
    fn bad_headers_say_what_is_wrong() {
        let f = file(
            r#"{"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,1]}}"#,
            1,
        );
        assert!(parse(&f[..], f.len() as u64, 1 << 20)
            .unwrap_err()
            .contains("unknown dtype `Q9`"));
        let f = file(
            r#"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#,
            4,
        );
        assert!(parse(&f[..], f.len() as u64, 1 << 20)
            .unwrap_err()
            .contains("truncated"));
        let f = file("{not json", 0);
        assert!(parse(&f[..], f.len() as u64, 1 << 20)
            .unwrap_err()
            .contains("line 1, column 2"));
        let mut f = u64::MAX.to_le_bytes().to_vec();
        f.push(b'{');
        assert!(parse(&f[..], f.len() as u64, 1 << 20)
            .unwrap_err()
            .contains("the file ends"));
    }
}
