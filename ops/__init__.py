"""What operators need from every app process: health checks, request ids, JSON logs."""
