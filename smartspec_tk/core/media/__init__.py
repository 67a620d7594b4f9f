"""Images and video in prompts: validate a file, upload it through presigned URLs, build content parts.

Tk-free. `validation` checks a file before any request, `control_plane` and
`local_artifacts` speak the backend's two artifact APIs, `upload` streams the
bytes, `client.MediaClient` runs the whole sequence, `parts` turns an uploaded
artifact into a chat content part, `jobs` runs uploads on worker threads.
"""
