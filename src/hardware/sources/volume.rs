//! Free space of the Windows volume that holds a folder, from `GetDiskFreeSpaceExW` (what the
//! user may still write there, quotas included) and `GetVolumePathNameW` (its root, `C:\`). The
//! disk list sysinfo builds on Windows enumerates physical volumes, which a sandbox, a network
//! drive or Wine may not show; asking for the folder itself always answers.

use std::path::Path;

/// Free bytes available to this user and the volume's root, for the volume holding `dir`.
pub fn free_space(dir: &Path) -> Result<(u64, String), String> {
    use std::os::windows::ffi::OsStrExt;
    use windows::core::PCWSTR;
    use windows::Win32::Storage::FileSystem::{GetDiskFreeSpaceExW, GetVolumePathNameW};

    let wide: Vec<u16> = dir.as_os_str().encode_wide().chain([0]).collect();
    let mut free = 0u64;
    // SAFETY: `wide` is NUL-terminated and outlives the call; `free` is a valid out pointer.
    unsafe { GetDiskFreeSpaceExW(PCWSTR(wide.as_ptr()), Some(&mut free), None, None) }
        .map_err(|e| format!("free disk space for {}: {e}", dir.display()))?;
    let mut root = [0u16; 261];
    // SAFETY: as above; the buffer length is passed with the slice.
    let root = match unsafe { GetVolumePathNameW(PCWSTR(wide.as_ptr()), &mut root) } {
        Ok(()) => {
            let len = root.iter().position(|&c| c == 0).unwrap_or(root.len());
            String::from_utf16_lossy(&root[..len])
        }
        Err(_) => dir.display().to_string(),
    };
    Ok((free, root))
}
