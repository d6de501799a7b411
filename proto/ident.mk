# proto/ident.mk — see HELPERS.md
