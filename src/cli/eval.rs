//! `ocrqa eval`: score corrected files against ground truth.

use super::args::EvalArgs;

pub fn run(_args: EvalArgs) -> anyhow::Result<i32> {
    anyhow::bail!("eval: not yet available")
}
