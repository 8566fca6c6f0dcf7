# Checks of the documents (included by the top Makefile). Cheap: they read
# files and build nothing.
#   make check-docs   every reference to a document resolves
#                     (scripts/check-doc-refs), docs/audit.md is not stale
#                     (scripts/check-audit-fresh), and both checks can fail
#                     (tests/doc-checks-negative.sh)
.PHONY: check-docs
check: check-docs
check-docs:
	tests/doc-checks-negative.sh
	scripts/check-doc-refs
	scripts/check-audit-fresh
