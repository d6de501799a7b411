# proto/core.mk — see HELPERS.md
