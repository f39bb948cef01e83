#!/usr/bin/env bash
# Fuzzing stage (scripts/test runs it from the repository root): builds the
# libFuzzer target in Fuzz/ with its own scratch path, seeds it with every
# plan, roster and template the tests know (broken and valid), and fuzzes for
# PLANKEEPER_FUZZ_SECONDS (default 60). Exits non-zero when the fuzzer finds a
# crash, a hang or a broken invariant; the input is left in
# .build-fuzz/artifacts/ — copy it to Tests/PlanFormatTests/Fixtures/fuzz-crashers/
# once fixed. Details and the last long run's figures: docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${PLANKEEPER_FUZZ_SECONDS:-60}
scratch=${PLANKEEPER_FUZZ_SCRATCH:-.build-fuzz}
bin="$scratch/debug/PlanFuzzer"

echo "building the fuzzer (swift build -c debug --package-path Fuzz --scratch-path $scratch, -sanitize=fuzzer,address)"
swift build -c debug --package-path Fuzz --scratch-path "$scratch" --product PlanFuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link,address 2>&1 \
    | grep -vE '^\[[0-9]+/[0-9]+\]|Cannot export local symbol'
if ((PIPESTATUS[0])) || [[ ! -x $bin ]]; then
    echo "fuzz: build failed" >&2
    exit 1
fi

# The working corpus grows between runs; the seeds are copied in each time
# (libFuzzer writes new inputs into its first folder, never into the fixtures).
corpus="$scratch/corpus"
artifacts="$scratch/artifacts"
mkdir -p "$corpus" "$artifacts"
fixtures=Tests/PlanFormatTests/Fixtures
n=0
seed() { cp -f "$1" "$corpus/seed-$(printf '%04d' $n)-$(basename "$1")"; n=$((n + 1)); }
while IFS= read -r -d '' f; do seed "$f"; done < <(find "$fixtures/invalid" "$fixtures/valid" "$fixtures/fuzz-crashers" plans \
    -type f \( -name '*.yaml' -o -name '*.yml' -o -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) -print0 2>/dev/null | sort -z)
# A template and its roster make one input, joined by the harness's marker line.
for dir in "$fixtures"/templates/broken/*/; do
    [[ -f $dir/template.yaml && -f $dir/roster.yaml ]] || continue
    { cat "$dir/template.yaml"; printf '\n#~roster~\n'; cat "$dir/roster.yaml"; } > "$corpus/seed-$(printf '%04d' $n)-$(basename "$dir").yaml"
    n=$((n + 1))
done
{ cat plans/basics-2026.yaml; printf '\n#~roster~\n'; cat plans/roster.yaml; } > "$corpus/seed-$(printf '%04d' $n)-sample-template.yaml"
echo "fuzz: $n seeds, $(find "$corpus" -type f | wc -l) inputs in the working corpus, $seconds s"

log="$scratch/last-run.log"
: > "$log"
# Seconds since boot: unlike the wall clock (which libFuzzer's -max_total_time
# reads), it does not jump when something steps the system time — the
# end-to-end tests do exactly that.
uptime_s() { cut -d' ' -f1 /proc/uptime | cut -d. -f1; }
start=$(uptime_s)
left=$seconds
segment=0
execs=0
while ((left > 0)); do
    segment=$((segment + 1))
    # The whole log goes to $log; the summary (start, progress pulses, end,
    # final stats, any crash report) goes to stdout as it happens.
    # `timeout` (a monotonic budget) ends the segment if the wall clock stepped back.
    # -report_slow_units: a unit slower than -timeout fails anyway; a "slow unit"
    # report above it can only be a wall-clock step.
    timeout -s INT -k 30 $((left + 60)) "$bin" "$corpus" \
        -dict=Fuzz/plan.dict -max_total_time="$left" -max_len=16384 -timeout=10 -report_slow_units=3600 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 \
        | tee -a "$log" \
        | grep --line-buffered -E '^#[0-9]+.*(INITED|DONE|pulse)|^stat::|ERROR|SUMMARY|invariant broken|Fatal error|Test unit written|^Done'
    status=${PIPESTATUS[0]}
    ((status == 124)) && status=0
    execs=$((execs + $(grep -E '^stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}' || echo 0)))
    if ((status != 0)); then
        # A timeout is confirmed by running the input again: a wall-clock step
        # during a unit looks like a timeout to libFuzzer but does not repeat.
        newest=$(ls -t "$artifacts" 2>/dev/null | head -1)
        if [[ $newest == timeout-* ]] && "$bin" -timeout=10 "$artifacts/$newest" >> "$log" 2>&1; then
            echo "fuzz: $newest did not time out again (a clock step?); continuing"
            mv "$artifacts/$newest" "$artifacts/unconfirmed-$newest"
        else
            echo "fuzz: FAILED (exit $status); full log in $log, input in $artifacts/${newest:-}" >&2
            exit 1
        fi
    fi
    left=$((seconds - ($(uptime_s) - start)))
done
echo "fuzz: no crash in $(($(uptime_s) - start)) s (monotonic), $execs executions in $segment segment(s)"

# ---------------------------------------------------------------- received replies
# The reading of a reply that `plankeeper mail-in` gets from the MTA (issue 16):
# MIME, charsets, HTML, quotes, the command. Seeded with the client fixtures.
mail_seconds=${PLANKEEPER_FUZZ_MAIL_SECONDS:-30}
mail_bin="$scratch/debug/MailFuzzer"
swift build -c debug --package-path Fuzz --scratch-path "$scratch" --product MailFuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link,address 2>&1 \
    | grep -vE '^\[[0-9]+/[0-9]+\]|Cannot export local symbol'
if ((PIPESTATUS[0])) || [[ ! -x $mail_bin ]]; then
    echo "fuzz: mail fuzzer build failed" >&2
    exit 1
fi
mail_corpus="$scratch/mail-corpus"
mkdir -p "$mail_corpus"
cp -f Tests/InboundMailTests/Fixtures/*.eml "$mail_corpus/"
timeout -s INT -k 30 $((mail_seconds + 60)) "$mail_bin" "$mail_corpus" \
    -max_total_time="$mail_seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/mail-" -print_final_stats=1 >"$scratch/last-mail-run.log" 2>&1
status=$?
((status == 124)) && status=0
if ((status != 0)); then
    echo "fuzz: the mail fuzzer FAILED (exit $status); log in $scratch/last-mail-run.log, input in $artifacts/" >&2
    exit 1
fi
echo "fuzz: mail replies: no crash in $mail_seconds s, $(grep -E '^stat::number_of_executed_units' "$scratch/last-mail-run.log" | awk '{print $2}') executions"
