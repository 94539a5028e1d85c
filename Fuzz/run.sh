#!/usr/bin/env bash
# `make fuzz`: builds each libFuzzer target with `swiftc -sanitize=fuzzer,address`
# from the library sources it exercises, and runs it for FUZZ_SECONDS (default 60)
# on a copy of its seed corpus (Fuzz/corpus/<target>/). A crash stops with the
# input saved as .build-fuzz/crash-<target>-*; new interesting inputs stay in
# .build-fuzz/corpus-<target>/ (copy the useful ones into Fuzz/corpus/ by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
only=${FUZZ_TARGETS:-"csv safetensors-header images template-scanner"}
out=.build-fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

build() {
    local name=$1; shift
    echo "fuzz: building $name"
    swiftc "${flags[@]}" -module-name "Fuzz$(echo "$name" | tr -d -)" "$@" -o "$out/fuzz-$name" 2> "$out/build-$name.log" \
        || { cat "$out/build-$name.log"; exit 1; }
}

for name in $only; do
    case $name in
    csv) build csv Sources/Datasets/CSVReader.swift Sources/Datasets/DecimalText.swift Fuzz/CSVTarget.swift ;;
    safetensors-header) build safetensors-header Sources/Vision/SafeTensors+JSON.swift Fuzz/SafeTensorsHeaderTarget.swift ;;
    template-scanner) build template-scanner Sources/Report/TemplateScanner.swift Fuzz/TemplateScannerTarget.swift ;;
    images)
        # Support is a module of its own for Images' `import Support`.
        swiftc "${flags[@]}" -emit-library -static -emit-module -module-name Support -emit-module-path "$out/Support.swiftmodule" \
            Sources/Support/*.swift -o "$out/libSupport.a" 2> "$out/build-support.log" || { cat "$out/build-support.log"; exit 1; }
        png_include=$(pkg-config --cflags-only-I libpng)
        build images -I "$out" -I Sources/CPNG -I Sources/CJPEG ${png_include:+-Xcc $png_include} \
            Sources/Images/Image.swift Sources/Images/ImageDecoding.swift Sources/Images/PNG.swift Sources/Images/JPEG.swift \
            Fuzz/ImagesTarget.swift -L "$out" -lSupport -lpng -ljpeg ;;
    *) echo "fuzz: unknown target $name" >&2; exit 2 ;;
    esac
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    cp -n Fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
    echo "fuzz: running $name for $seconds s"
    (cd "$out" && ./"fuzz-$name" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="crash-$name-" \
        -timeout=10 -rss_limit_mb=2048 "corpus-$name") 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)|ERROR|SUMMARY|Test unit written" || true
    if ls "$out"/crash-"$name"-* > /dev/null 2>&1; then
        echo "fuzz: $name found a crash: $(ls "$out"/crash-"$name"-*)" >&2
        exit 1
    fi
done
