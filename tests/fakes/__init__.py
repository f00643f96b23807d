"""Stand-ins for remote services (hosted LLM API, Slack Web API): real HTTP servers on 127.0.0.1."""
