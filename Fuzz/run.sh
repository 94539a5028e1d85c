#!/usr/bin/env bash
# `make fuzz`: builds each libFuzzer target with `swiftc -sanitize=fuzzer,address`
# from the library sources it exercises, and runs it for FUZZ_SECONDS (default 60)
# on a copy of its seed corpus (Fuzz/corpus/<target>/). A crash stops with the
# input saved as .build-fuzz/crash-<target>-*; new interesting inputs stay in
# .build-fuzz/corpus-<target>/ (copy the useful ones into Fuzz/corpus/ by hand).
# FUZZ_TARGETS picks targets by name (default: all), e.g.
# FUZZ_SECONDS=600 FUZZ_TARGETS=weights Fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
only=${FUZZ_TARGETS:-"csv safetensors-header weights images template-scanner template-loading"}
out=.build-fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

build() {
    local name=$1; shift
    echo "fuzz: building $name"
    swiftc "${flags[@]}" -module-name "Fuzz$(echo "$name" | tr -d -)" "$@" -o "$out/fuzz-$name" 2> "$out/build-$name.log" \
        || { cat "$out/build-$name.log"; exit 1; }
}

# A library module of the tool (or of a dependency) for the targets' imports: $out/lib<Module>.a.
library() {
    local module=$1; shift
    echo "fuzz: building module $module"
    swiftc "${flags[@]}" -emit-library -static -emit-module -module-name "$module" -emit-module-path "$out/$module.swiftmodule" \
        -I "$out" "$@" -o "$out/lib$module.a" 2> "$out/build-$module.log" || { cat "$out/build-$module.log"; exit 1; }
}

# The C kernels the Engine module calls (Sources/CKernels), as $out/libCKernels.a.
ckernels() {
    echo "fuzz: building CKernels"
    local file objects=()
    for file in Sources/CKernels/*.c; do
        clang -fsanitize=fuzzer-no-link,address -O2 -g -I Sources/CKernels/include -c "$file" \
            -o "$out/$(basename "$file" .c).o" 2>> "$out/build-CKernels.log" || { cat "$out/build-CKernels.log"; exit 1; }
        objects+=("$out/$(basename "$file" .c).o")
    done
    rm -f "$out/libCKernels.a"
    ar rcs "$out/libCKernels.a" "${objects[@]}"
}

# `-Xcc -I<dir>` for each include folder pkg-config gives for $1 (none when it gives none).
xcc_includes() {
    local flag
    for flag in $(pkg-config --cflags-only-I "$1"); do printf -- '-Xcc %s ' "$flag"; done
}

for name in $only; do
    case $name in
    csv) build csv Sources/Datasets/CSVReader.swift Sources/Datasets/DecimalText.swift Sources/Support/UTF8Problem.swift \
        Fuzz/CSVTarget.swift ;;
    safetensors-header) build safetensors-header Sources/Vision/SafeTensors+JSON.swift Fuzz/SafeTensorsHeaderTarget.swift ;;
    template-scanner) build template-scanner Sources/Report/TemplateScanner.swift Fuzz/TemplateScannerTarget.swift ;;
    weights)
        # Vision's reading of weights files and its state dicts, on Engine's tensors.
        blas=(-I Sources/COpenBLAS -I Sources/CFloatingPoint -I Sources/CKernels/include $(xcc_includes openblas))
        ckernels
        library Support Sources/Support/*.swift
        library Engine "${blas[@]}" Sources/Engine/*.swift
        build weights -I "$out" "${blas[@]}" Sources/Vision/*.swift Fuzz/WeightsTarget.swift \
            -L "$out" -lEngine -lCKernels -lSupport $(pkg-config --libs openblas) ;;
    images)
        # Support is a module of its own for Images' `import Support`.
        library Support Sources/Support/*.swift
        png_include=$(pkg-config --cflags-only-I libpng)
        build images -I "$out" -I Sources/CPNG -I Sources/CJPEG ${png_include:+-Xcc $png_include} \
            Sources/Images/Image.swift Sources/Images/ImageDecoding.swift Sources/Images/PNG.swift Sources/Images/JPEG.swift \
            Fuzz/ImagesTarget.swift -L "$out" -lSupport -lpng -ljpeg ;;
    template-loading)
        # The Mustache package's sources, as `swift package resolve` checks them out.
        [ -d .build/checkouts/swift-mustache ] || swift package resolve
        xml=(-I Sources/CLibXML2 $(xcc_includes libxml-2.0))
        library Support Sources/Support/*.swift
        library Mustache .build/checkouts/swift-mustache/Sources/Mustache/*.swift
        library MarkupValidation "${xml[@]}" Sources/MarkupValidation/*.swift
        build template-loading -I "$out" "${xml[@]}" Sources/Report/TemplateSet.swift Sources/Report/TemplateScanner.swift \
            Sources/Report/ReportError.swift Sources/Report/SiteChecks.swift Fuzz/TemplateLoadingTarget.swift \
            -L "$out" -lMustache -lMarkupValidation -lSupport -lxml2 ;;
    *) echo "fuzz: unknown target $name" >&2; exit 2 ;;
    esac
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    cp -n Fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
    echo "fuzz: running $name for $seconds s"
    (cd "$out" && ./"fuzz-$name" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="crash-$name-" \
        -timeout=10 -rss_limit_mb=2048 "corpus-$name") 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]*DONE)|ERROR|SUMMARY|Test unit written" || true
    if ls "$out"/crash-"$name"-* > /dev/null 2>&1; then
        echo "fuzz: $name found a crash: $(ls "$out"/crash-"$name"-*)" >&2
        exit 1
    fi
done
