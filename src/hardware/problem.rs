//! Detection problems in plain words. Detection keeps its technical notes (they go into saved
//! profiles and `check --json`); this turns the ones users stumble on — no NVIDIA driver, a
//! driver/library mismatch, nvidia-smi missing or hung, no permission, a source that ran late —
//! into one sentence in the UI language, with the note itself as the detail.

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Neither the NVML library nor a working driver: nothing NVIDIA is installed.
    NoNvidiaDriver,
    /// The driver has no NVIDIA GPU to talk to.
    NoNvidiaGpu,
    /// The kernel driver and the user-space library differ (after an update, before a reboot).
    DriverMismatch,
    /// NVML failed and nvidia-smi is not installed.
    NvidiaSmiMissing,
    /// nvidia-smi was started but did not answer in time.
    NvidiaSmiTimeout,
    /// The user may not query the GPU.
    PermissionDenied,
    /// NVML failed but nvidia-smi read the GPUs.
    ReadWithNvidiaSmi,
    /// NVIDIA detection failed some other way.
    NvidiaUnreadable,
    /// A detection source did not answer within the budget.
    SourceTimedOut,
}

impl Problem {
    /// Classifies a detection note; `None` for notes that are not problems (they read fine as
    /// they are, e.g. "RTX 5090 is not in the catalog").
    pub fn classify(note: &str) -> Option<Problem> {
        let n = note.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        // Detection writes NVIDIA failures as `NVIDIA: <NVML error>; <nvidia-smi error>` or
        // `NVML …; used nvidia-smi instead` (hardware/detect.rs).
        let nvidia = n.starts_with("nvidia:") || n.starts_with("nvml");
        if nvidia && has(&["used nvidia-smi instead"]) {
            return Some(Problem::ReadWithNvidiaSmi);
        }
        if nvidia && has(&["mismatch"]) {
            return Some(Problem::DriverMismatch);
        }
        if nvidia
            && has(&[
                "permission",
                "os error 13",
                "access is denied",
                "blocked by the operating system",
            ])
        {
            return Some(Problem::PermissionDenied);
        }
        if has(&["did not answer within"]) {
            return Some(if has(&["nvidia-smi"]) {
                Problem::NvidiaSmiTimeout
            } else {
                Problem::SourceTimedOut
            });
        }
        if !nvidia {
            return None;
        }
        if has(&["no devices were found"]) {
            return Some(Problem::NoNvidiaGpu);
        }
        let no_library = has(&[
            "libloading",
            "cannot open shared object",
            "couldn't be found or loaded",
            "driver is not loaded",
            "couldn't communicate with the nvidia driver",
            "nvml.dll",
        ]);
        let smi_missing = has(&["nvidia-smi could not be started"]);
        if no_library && (smi_missing || has(&["couldn't communicate"])) {
            return Some(Problem::NoNvidiaDriver);
        }
        if smi_missing {
            return Some(Problem::NvidiaSmiMissing);
        }
        Some(Problem::NvidiaUnreadable)
    }

    /// One plain sentence.
    pub fn sentence(self, lang: Lang) -> &'static str {
        match self {
            Problem::NoNvidiaDriver => lang.pick("No NVIDIA driver found", "未找到 NVIDIA 驱动"),
            Problem::NoNvidiaGpu => lang.pick(
                "The NVIDIA driver is installed, but it sees no NVIDIA GPU",
                "已安装 NVIDIA 驱动，但未发现 NVIDIA GPU",
            ),
            Problem::DriverMismatch => lang.pick(
                "The NVIDIA driver was updated but the old one is still running: restart the computer",
                "NVIDIA 驱动已更新但旧版仍在运行：请重启电脑",
            ),
            Problem::NvidiaSmiMissing => lang.pick(
                "The NVIDIA GPU could not be read, and nvidia-smi is not installed",
                "无法读取 NVIDIA GPU，且未安装 nvidia-smi",
            ),
            Problem::NvidiaSmiTimeout => lang.pick(
                "nvidia-smi did not answer in time, so the NVIDIA GPUs are missing",
                "nvidia-smi 未及时响应，缺少 NVIDIA GPU 信息",
            ),
            Problem::PermissionDenied => lang.pick(
                "Not allowed to read the NVIDIA GPU (permission denied)",
                "没有读取 NVIDIA GPU 的权限",
            ),
            Problem::ReadWithNvidiaSmi => lang.pick(
                "NVIDIA GPUs read with nvidia-smi (the NVML library could not be used)",
                "已通过 nvidia-smi 读取 NVIDIA GPU（NVML 库不可用）",
            ),
            Problem::NvidiaUnreadable => lang.pick(
                "The NVIDIA GPU could not be read",
                "无法读取 NVIDIA GPU",
            ),
            Problem::SourceTimedOut => lang.pick(
                "Part of the hardware did not answer in time, so some values are missing",
                "部分硬件检测超时，相应数值缺失",
            ),
        }
    }
}

/// A note as users should read it: the plain sentence when it is a known problem, else the note.
pub fn plain_note(note: &str, lang: Lang) -> String {
    match Problem::classify(note) {
        Some(p) => p.sentence(lang).to_string(),
        None => note.to_string(),
    }
}
