#!/bin/sh
# npm test's last step: ESLint (type-aware, about 30 s of CPU) runs beside Vitest, which leaves part of the
# two cores idle while browsers and storage answer. The step fails if either fails; ESLint speaks only on errors.
npx eslint . &
lint=$!
npx vitest run
tests=$?
wait "$lint"
checks=$?
if [ "$checks" -ne 0 ]; then echo "ESLint found problems (above); the tests' own result: exit $tests." >&2; fi
[ "$tests" -eq 0 ] && [ "$checks" -eq 0 ]
