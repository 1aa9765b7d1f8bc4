#!/usr/bin/env bash
# The one script for a machine with an NVIDIA GPU (CI has none). It runs, in order:
#   1. `meanshift gpu-check`: every CUDA kernel compiled for sm_80 and sm_90 (no GPU needed; fails on spills);
#   2. the `#| cuda` cells as tests (`nbdev_test --flags cuda`) of the notebooks with GPU code;
#   3. the GPU benchmarks: those notebooks executed top to bottom, every cell included (MEANSHIFT_FULL_RUN=1),
#      so that their timings can be committed next to the performance model's predictions (03, 09, 15).
# Needs the project installed with a CUDA build of torch (`pip install torch` there, then `pip install -e ".[dev]"`).
# Usage: bash .ci/gpu.sh [OUT_DIR]   (results go to OUT_DIR, default $OUT or gpu_out/)
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-${OUT:-gpu_out}}"
mkdir -p "$out"; out=$(realpath "$out")
export PYTHONUNBUFFERED=1 MPLBACKEND=agg MEANSHIFT_FULL_RUN=1
unset NUMBA_ENABLE_CUDASIM   # the real GPU, never the simulator
rc=0
echo "=== gpu-check: compile every kernel for sm_80 and sm_90" | tee "$out/gpu_check.txt"
start=$(date +%s)
timeout 600 python -c 'import sys; from meanshift_nbdev.gpucheck import main; sys.exit(main())' 2>&1 | tee -a "$out/gpu_check.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
echo "gpu-check wall time: $(( $(date +%s) - start )) s" | tee -a "$out/gpu_check.txt"
if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L; then
  echo "no NVIDIA GPU here: only the compile check ran"; exit $rc
fi
nvidia-smi -L > "$out/gpu.txt"
python -c "import torch; assert torch.cuda.is_available(), 'torch sees no GPU: install a CUDA build of torch'" || exit 1
for nb in 03_cuda_numba 04_distances 05_kernels 07_meanshift_batched 09_fused_kernels 10_dbscan 12a_segment 15_gpu_check; do
  [ -f "nbs/$nb.ipynb" ] || { echo "=== $nb: not in this checkout, skipped"; continue; }
  echo "=== $nb: #| cuda cells as tests"
  timeout 600 nbdev_test --flags cuda --path "nbs/$nb.ipynb" 2>&1 | tee "$out/test_$nb.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  echo "=== $nb: executing every cell (benchmarks included)"
  (cd nbs && timeout 900 jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
     --output-dir "$out" "$nb.ipynb") || rc=1
done
echo "results in $out: copy the executed notebooks over nbs/, run nbdev_clean, and commit them (exit status $rc)"
exit $rc
