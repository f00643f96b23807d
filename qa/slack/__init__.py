"""Slack surface: a bot that answers mentions, direct messages and ``/ask`` with cited answers.

``verify`` checks signatures, ``dedupe`` drops redelivered events, ``format`` turns an
``Answer`` into Block Kit, ``client`` speaks the Web API, ``handlers`` decides what to do.
The router in ``qa.routers.slack`` only wires these to HTTP.
"""
