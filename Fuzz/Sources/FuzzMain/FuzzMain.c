// SwiftPM links an executable with `--defsym main=<Target>_main` (so that tests
// can import it), but a `-parse-as-library` fuzz target has no such symbol and
// the link fails (swiftlang/swift-package-manager#4522). This file provides
// it and hands control to libFuzzer's driver, which is what libFuzzer's own
// main() would do.
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int PlanFuzzer_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
