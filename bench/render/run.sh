#!/usr/bin/env bash
# 3D Shapes data benchmark: rendering (images/s), reference task batches (batches/s of 8 × 50), HDF5 reading (MB/s,
# ours native libhdf5 vs h5py on the same 9,600-image file in the real layout), LRU cache hit rates.
# Usage: bash bench/run render [--full-grid]   (--full-grid also hashes all 480,000 grid images for distinctness)
source "$(dirname "$0")/../common.sh"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }

ours render gallery "$work/gallery.png" >/dev/null
mkdir -p "$repo/bench/out" && cp "$work/gallery.png" "$repo/bench/out/render_gallery.png"
echo "gallery: bench/out/render_gallery.png" >&2

images=(); batches=(); ours_h5=(); peer_h5=()
ours render export "$work" >/dev/null
"$peer_python" "$repo/tests/fixtures/data_h5py_write.py" "$work/images.bin" "$work/labels.bin" 9600 "$work/shapes.h5" 32
rm -f "$work/images.bin" "$work/labels.bin"
for round in 1 2 3; do
  line=$(ours render images 20000); echo "ours images: $line" >&2; images+=("$(echo "$line" | field images_per_s)")
  line=$(ours render batches 40); echo "ours batches: $line" >&2; batches+=("$(echo "$line" | field batches_per_s)")
  line=$(ours render hdf5 "$work/shapes.h5"); echo "ours hdf5: $line" >&2; ours_h5+=("$(echo "$line" | field hdf5_mb_per_s)")
  line=$("$peer_python" "$here/h5py_read.py" "$work/shapes.h5"); echo "h5py: $line" >&2; peer_h5+=("$(echo "$line" | field h5py_mb_per_s)")
done
lru=$(ours render lru); echo "lru: $lru" >&2
if [ "${1:-}" = "--full-grid" ]; then ours render distinct >&2; fi

im=$(printf '%s\n' "${images[@]}" | median); ba=$(printf '%s\n' "${batches[@]}" | median)
oh=$(printf '%s\n' "${ours_h5[@]}" | median); ph=$(printf '%s\n' "${peer_h5[@]}" | median)
ratio=$(awk -v a="$oh" -v b="$ph" 'BEGIN {printf "%.2f", a / b}')
echo "images_per_s=$im batches_per_s=$ba hdf5_mb_per_s=$oh h5py_mb_per_s=$ph ratio_hdf5_vs_h5py=$ratio $lru"
