#!/usr/bin/env bash
# For a machine with an NVIDIA GPU (CI has none): run the `#| cuda` cells as tests, then execute the notebooks
# that hold GPU timings top to bottom, every cell included, so that their outputs can be committed.
# Needs the project installed with a CUDA build of torch (`pip install torch` there, then `pip install -e ".[dev]"`).
# Usage: bash .ci/gpu.sh [OUT_DIR]   (executed notebooks go to OUT_DIR, default $OUT or gpu_out/)
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-${OUT:-gpu_out}}"
mkdir -p "$out"
command -v nvidia-smi >/dev/null && nvidia-smi -L || { echo "no NVIDIA GPU here: nothing to do"; exit 1; }
python -c "import torch; assert torch.cuda.is_available(), 'torch sees no GPU: install a CUDA build of torch'" || exit 1
export NUMBA_ENABLE_CUDASIM=0 PYTHONUNBUFFERED=1
rc=0
for nb in 03_cuda_numba 07_meanshift_batched 09_fused_kernels 10_dbscan; do
  echo "=== $nb: #| cuda cells as tests"
  timeout 600 nbdev_test --flags cuda --path "nbs/$nb.ipynb" || rc=1
  echo "=== $nb: executing every cell"
  (cd nbs && timeout 900 jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
     --output-dir "$(cd .. && realpath "$out")" "$nb.ipynb") || rc=1
done
echo "executed notebooks in $out: copy them over nbs/, run nbdev_clean, and commit"
exit $rc
