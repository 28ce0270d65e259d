//! A reader that never goes past a byte limit: the smaller of the file's length and the cap on
//! how much header this module reads. Every error says where in the file it happened.

use std::io::Read;

/// Reads little-endian values from the start of a file, counting the bytes consumed.
pub struct Bounded<R> {
    inner: R,
    pos: u64,
    file_len: u64,
    cap: u64,
}

impl<R: Read> Bounded<R> {
    /// `file_len` is the length of the whole file; at most `cap` bytes of it are read.
    pub fn new(inner: R, file_len: u64, cap: u64) -> Bounded<R> {
        Bounded {
            inner,
            pos: 0,
            file_len,
            cap,
        }
    }

    /// Bytes consumed so far (the offset of the next byte).
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// Bytes that may still be read.
    pub fn remaining(&self) -> u64 {
        self.file_len.min(self.cap).saturating_sub(self.pos)
    }

    /// Fails unless `n` more bytes may be read, naming `what` was being read.
    pub fn ensure(&self, n: u64, what: &dyn Fn() -> String) -> Result<(), String> {
        let end = self.pos.saturating_add(n);
        if end > self.file_len {
            Err(format!(
                "the file ends at byte {} in the middle of {} (needs {} more bytes at byte {}): truncated or not a complete file",
                self.file_len,
                what(),
                n,
                self.pos
            ))
        } else if end > self.cap {
            Err(format!(
                "{} at byte {} would take the header past {} MiB, more than any real model header needs",
                what(),
                self.pos,
                self.cap >> 20
            ))
        } else {
            Ok(())
        }
    }

    /// Fills `buf`.
    pub fn bytes(&mut self, buf: &mut [u8], what: &dyn Fn() -> String) -> Result<(), String> {
        self.ensure(buf.len() as u64, what)?;
        self.inner
            .read_exact(buf)
            .map_err(|e| format!("cannot read {} at byte {}: {e}", what(), self.pos))?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    /// Passes over `n` bytes without keeping them.
    pub fn skip(&mut self, n: u64, what: &dyn Fn() -> String) -> Result<(), String> {
        self.ensure(n, what)?;
        let copied = std::io::copy(&mut (&mut self.inner).take(n), &mut std::io::sink())
            .map_err(|e| format!("cannot read {} at byte {}: {e}", what(), self.pos))?;
        if copied != n {
            return Err(format!(
                "the file ended early in the middle of {} at byte {}",
                what(),
                self.pos + copied
            ));
        }
        self.pos += n;
        Ok(())
    }

    fn array<const N: usize>(&mut self, what: &dyn Fn() -> String) -> Result<[u8; N], String> {
        let mut b = [0u8; N];
        self.bytes(&mut b, what)?;
        Ok(b)
    }

    pub fn u8(&mut self, what: &dyn Fn() -> String) -> Result<u8, String> {
        Ok(self.array::<1>(what)?[0])
    }

    pub fn u16(&mut self, what: &dyn Fn() -> String) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    pub fn u32(&mut self, what: &dyn Fn() -> String) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    pub fn u64(&mut self, what: &dyn Fn() -> String) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// A string of `len` bytes, which must be valid UTF-8. Nothing is allocated until the bytes
    /// are known to be in the file and under the cap.
    pub fn string(&mut self, len: u64, what: &dyn Fn() -> String) -> Result<String, String> {
        self.ensure(len, what)?;
        let mut buf = vec![0u8; len as usize];
        let at = self.pos;
        self.bytes(&mut buf, what)?;
        String::from_utf8(buf).map_err(|_| format!("{} at byte {at} is not valid UTF-8", what()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what() -> String {
        "the thing".into()
    }

    #[test]
    fn stops_at_the_end_of_the_file_and_at_the_cap() {
        let data = [1u8, 0, 0, 0, 2, 0, 0, 0];
        let mut r = Bounded::new(&data[..], 8, 1 << 20);
        assert_eq!(r.u32(&what).unwrap(), 1);
        assert_eq!(r.u32(&what).unwrap(), 2);
        let e = r.u32(&what).unwrap_err();
        assert!(
            e.contains("the file ends at byte 8 in the middle of the thing"),
            "{e}"
        );

        let mut r = Bounded::new(&data[..], 1 << 40, 4);
        r.u32(&what).unwrap();
        let e = r.skip(1, &what).unwrap_err();
        assert!(e.contains("past 0 MiB"), "{e}");
    }

    #[test]
    fn a_huge_string_length_is_refused_before_allocating() {
        let data = [b'a'; 4];
        let mut r = Bounded::new(&data[..], 4, 1 << 20);
        assert!(r.string(u64::MAX, &what).is_err());
        assert_eq!(r.string(4, &what).unwrap(), "aaaa");
        let bad = [0xffu8, 0xfe];
        let mut r = Bounded::new(&bad[..], 2, 1 << 20);
        assert!(r.string(2, &what).unwrap_err().contains("UTF-8"));
    }
}
