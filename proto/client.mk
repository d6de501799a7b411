# proto/client.mk — see HELPERS.md
