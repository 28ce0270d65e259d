//! GGUF v2/v3 headers: magic, version, metadata key/values and the tensor table. Tensor data is
//! never read; the header is read through `Bounded`, so a corrupt count or length fails with a
//! message instead of an allocation or a long read.
//!
//! Layout (ggml `docs/gguf.md`): `GGUF` u32 version, u64 tensor count, u64 key/value count,
//! key/values (string key, u32 type, value), tensor infos (string name, u32 n_dims, u64 dims…,
//! u32 type, u64 offset), padding to `general.alignment` (default 32), then the tensor data.

use super::bounded::Bounded;
use super::ggml_type::GgmlType;
use super::metadata::{Metadata, Value};
use super::tensor::Tensor;
use std::collections::HashSet;
use std::io::Read;

/// Numeric arrays up to this length are kept (per-layer settings); longer ones are passed over.
pub const KEEP_ARRAY_ITEMS: u64 = 4096;
/// String arrays up to this length are kept (tags, languages); vocabularies are passed over.
const KEEP_STRING_ITEMS: u64 = 64;
/// Arrays of arrays deeper than this are refused.
const MAX_NESTING: u32 = 8;
/// Longest metadata key accepted.
const MAX_KEY_BYTES: u64 = 4096;
/// Longest tensor name accepted (llama.cpp itself stops at 63 bytes).
const MAX_NAME_BYTES: u64 = 1024;
/// ggml tensors have at most four dimensions.
const MAX_DIMS: u32 = 4;
const DEFAULT_ALIGNMENT: u64 = 32;

/// What a GGUF header holds.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufHeader {
    pub version: u32,
    pub metadata: Metadata,
    pub tensors: Vec<Tensor>,
    /// Offset of the tensor data section.
    pub data_start: u64,
    pub file_len: u64,
}

const STRING: u32 = 8;
const ARRAY: u32 = 9;

/// Bytes of a fixed-size value type, `None` for strings and arrays, `Err` for an unknown type.
fn fixed_size(ty: u32) -> Result<Option<u64>, String> {
    Ok(match ty {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        STRING | ARRAY => None,
        other => return Err(format!("unknown metadata value type {other}")),
    })
}

fn read_scalar<R: Read>(
    r: &mut Bounded<R>,
    ty: u32,
    what: &dyn Fn() -> String,
) -> Result<Value, String> {
    Ok(match ty {
        0 => Value::U8(r.u8(what)?),
        1 => Value::I8(r.u8(what)? as i8),
        2 => Value::U16(r.u16(what)?),
        3 => Value::I16(r.u16(what)? as i16),
        4 => Value::U32(r.u32(what)?),
        5 => Value::I32(r.u32(what)? as i32),
        6 => Value::F32(f32::from_bits(r.u32(what)?)),
        7 => match r.u8(what)? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            b => return Err(format!("{} is a bool of value {b}, not 0 or 1", what())),
        },
        10 => Value::U64(r.u64(what)?),
        11 => Value::I64(r.u64(what)? as i64),
        12 => Value::F64(f64::from_bits(r.u64(what)?)),
        other => return Err(format!("{} has unknown value type {other}", what())),
    })
}

/// Reads a value of type `ty`; returns `None` for a value passed over.
fn read_value<R: Read>(
    r: &mut Bounded<R>,
    ty: u32,
    keep: bool,
    depth: u32,
    what: &dyn Fn() -> String,
) -> Result<Option<Value>, String> {
    match ty {
        STRING => {
            let len = r.u64(what)?;
            if keep {
                Ok(Some(Value::String(r.string(len, what)?)))
            } else {
                r.skip(len, what)?;
                Ok(None)
            }
        }
        ARRAY => {
            if depth >= MAX_NESTING {
                return Err(format!(
                    "{} nests arrays more than {MAX_NESTING} deep",
                    what()
                ));
            }
            let element_type = r.u32(what)?;
            let len = r.u64(what)?;
            let size = fixed_size(element_type).map_err(|e| format!("{}: {e}", what()))?;
            // Strings take at least their 8-byte length; arrays their type and length.
            let least = size.unwrap_or(if element_type == STRING { 8 } else { 12 });
            let need = len.checked_mul(least).ok_or_else(|| {
                format!(
                    "{} claims {len} elements, more than a file can hold",
                    what()
                )
            })?;
            r.ensure(need, &|| format!("{} ({len} elements)", what()))?;
            let limit = if element_type == STRING {
                KEEP_STRING_ITEMS
            } else {
                KEEP_ARRAY_ITEMS
            };
            let keep_items = keep && len <= limit;
            if let (Some(size), false) = (size, keep_items) {
                r.skip(len * size, what)?;
                return Ok(Some(Value::Array {
                    element_type,
                    len,
                    items: None,
                }));
            }
            let mut items = Vec::with_capacity(if keep_items { len as usize } else { 0 });
            for i in 0..len {
                let item_what = || format!("element {i} of {}", what());
                let v = read_value(r, element_type, keep_items, depth + 1, &item_what)?;
                if let Some(v) = v.filter(|_| keep_items) {
                    items.push(v);
                }
            }
            Ok(Some(Value::Array {
                element_type,
                len,
                items: keep_items.then_some(items),
            }))
        }
        _ => read_scalar(r, ty, what).map(Some),
    }
}

fn read_string<R: Read>(
    r: &mut Bounded<R>,
    max: u64,
    what: &dyn Fn() -> String,
) -> Result<String, String> {
    let len = r.u64(what)?;
    if len > max {
        return Err(format!(
            "{} at byte {} is {len} bytes long; at most {max} are accepted",
            what(),
            r.pos() - 8
        ));
    }
    r.string(len, what)
}

/// Parses a GGUF header from `r`, the start of a file of `file_len` bytes, reading at most `cap`
/// bytes. Errors describe what is wrong; the caller adds the file name.
pub fn parse<R: Read>(r: R, file_len: u64, cap: u64) -> Result<GgufHeader, String> {
    let mut r = Bounded::new(r, file_len, cap);
    let mut magic = [0u8; 4];
    r.bytes(&mut magic, &|| "the GGUF magic".into())?;
    if &magic != b"GGUF" {
        return Err(format!(
            "not a GGUF file: it starts with bytes {:02x} {:02x} {:02x} {:02x}, not `GGUF`",
            magic[0], magic[1], magic[2], magic[3]
        ));
    }
    let version = r.u32(&|| "the GGUF version".into())?;
    match version {
        2 | 3 => {}
        1 => return Err("GGUF version 1 (2023) is not supported by current llama.cpp".into()),
        v if v.swap_bytes() == 2 || v.swap_bytes() == 3 => {
            return Err("a big-endian GGUF file; only little-endian files are supported".into())
        }
        v => return Err(format!("unknown GGUF version {v} (2 and 3 are supported)")),
    }
    let tensor_count = r.u64(&|| "the tensor count".into())?;
    let kv_count = r.u64(&|| "the metadata count".into())?;
    // Each key/value takes at least 8 + 4 + 1 bytes and each tensor info 8 + 4 + 4 + 8.
    let least = kv_count
        .checked_mul(13)
        .and_then(|a| tensor_count.checked_mul(24).and_then(|b| a.checked_add(b)));
    match least {
        Some(n) => r.ensure(n, &|| {
            format!("{kv_count} metadata entries and {tensor_count} tensor infos")
        })?,
        None => {
            return Err(format!(
                "absurd counts: {kv_count} metadata entries and {tensor_count} tensors"
            ))
        }
    }

    let mut metadata = Metadata::default();
    for i in 0..kv_count {
        let key = read_string(&mut r, MAX_KEY_BYTES, &|| format!("metadata key {i}"))?;
        let what = || format!("metadata value `{key}`");
        let ty = r.u32(&what)?;
        if let Some(v) = read_value(&mut r, ty, true, 0, &what)? {
            metadata.entries.push((key, v));
        }
    }
    let alignment = match metadata.get("general.alignment") {
        None => DEFAULT_ALIGNMENT,
        Some(Value::U32(a)) if a.is_power_of_two() => u64::from(*a),
        Some(v) => {
            return Err(format!(
                "general.alignment must be a power of two (u32), got {}",
                v.display()
            ))
        }
    };

    let mut tensors = Vec::with_capacity(tensor_count.min(4096) as usize);
    let mut names = HashSet::new();
    for i in 0..tensor_count {
        let name = read_string(&mut r, MAX_NAME_BYTES, &|| {
            format!("the name of tensor {i}")
        })?;
        let what = || format!("the info of tensor `{name}`");
        let n_dims = r.u32(&what)?;
        if n_dims > MAX_DIMS {
            return Err(format!(
                "tensor `{name}` has {n_dims} dimensions; ggml allows at most {MAX_DIMS}"
            ));
        }
        let mut shape = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            shape.push(r.u64(&what)?);
        }
        let elements = shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d))
            .filter(|&n| n <= i64::MAX as u64)
            .ok_or_else(|| format!("tensor `{name}` has absurd dimensions {shape:?}"))?;
        let ty = GgmlType::from_id(r.u32(&what)?).map_err(|e| format!("tensor `{name}`: {e}"))?;
        let offset = r.u64(&what)?;
        let row = shape.first().copied().unwrap_or(1);
        let bytes = ty
            .bytes(row, elements)
            .map_err(|e| format!("tensor `{name}` ({}): {e}", ty.name))?;
        if offset % alignment != 0 {
            return Err(format!(
                "tensor `{name}` starts at data offset {offset}, not a multiple of the alignment {alignment}"
            ));
        }
        if !names.insert(name.clone()) {
            return Err(format!("tensor `{name}` appears twice"));
        }
        tensors.push(Tensor {
            name,
            shape,
            dtype: ty.name,
            elements,
            bytes,
            offset,
        });
    }

    let data_start = r.pos().div_ceil(alignment) * alignment;
    for t in &mut tensors {
        let start = data_start.checked_add(t.offset);
        let end = start.and_then(|s| s.checked_add(t.bytes));
        match (start, end) {
            (Some(s), Some(e)) if e <= file_len => t.offset = s,
            _ => {
                return Err(format!(
                    "tensor `{}` ({} bytes at data offset {}) lies beyond the end of the file ({file_len} bytes): truncated download?",
                    t.name, t.bytes, t.offset
                ))
            }
        }
    }
    Ok(GgufHeader {
        version,
        metadata,
        tensors,
        data_start,
        file_len,
    })
}
