"""The partner API, version 1 (`/api/v1/`): REST framework views on the other apps' services and selectors."""
