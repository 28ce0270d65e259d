//! The Windows release binary is a GUI-subsystem program (no console window behind the app), so
//! Windows gives it no standard output. Started from a console (`cmd`, PowerShell, Windows
//! Terminal), it attaches to that console so `deepseek-advisor.exe check` prints there; output
//! redirected to a file or a pipe is kept as it is. Started from Explorer there is no parent
//! console and nothing changes.

use windows::core::w;
use windows::Win32::Foundation::{ERROR_ACCESS_DENIED, GENERIC_READ, GENERIC_WRITE};
use windows::Win32::Storage::FileSystem::{
    CreateFileW, FILE_FLAGS_AND_ATTRIBUTES, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
};
use windows::Win32::System::Console::{
    AttachConsole, GetStdHandle, SetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_HANDLE,
    STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
};

/// Attaches to the parent process's console, if it has one, and points the standard handles
/// that are unset at it. Call first thing in `main`; failures leave the program as it was.
pub fn attach_to_parent() {
    // SAFETY: AttachConsole takes a process id (here the documented "parent" constant).
    match unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } {
        Ok(()) => {}
        // Already attached to a console (Wine attaches every program started from one, but
        // without standard handles): fill in the handles all the same.
        Err(e) if e.code() == ERROR_ACCESS_DENIED.to_hresult() => {}
        // No parent console (started from Explorer): nothing to do.
        Err(_) => return,
    }
    let handles: [(STD_HANDLE, windows::core::PCWSTR); 3] = [
        (STD_INPUT_HANDLE, w!("CONIN$")),
        (STD_OUTPUT_HANDLE, w!("CONOUT$")),
        (STD_ERROR_HANDLE, w!("CONOUT$")),
    ];
    for (which, device) in handles {
        // SAFETY: GetStdHandle only reads the process's handle table.
        if unsafe { GetStdHandle(which) }.is_ok_and(|h| !h.is_invalid() && !h.0.is_null()) {
            // Redirected to a file or a pipe by the caller: keep it.
            continue;
        }
        // SAFETY: `device` is a NUL-terminated wide string constant; no security attributes or
        // template handle are passed.
        let opened = unsafe {
            CreateFileW(
                device,
                (GENERIC_READ | GENERIC_WRITE).0,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                None,
                OPEN_EXISTING,
                FILE_FLAGS_AND_ATTRIBUTES(0),
                None,
            )
        };
        if let Ok(handle) = opened {
            // SAFETY: `handle` is a console handle this process owns from now on.
            let _ = unsafe { SetStdHandle(which, handle) };
        }
    }
}
