"""Tests of the Slack bot: formatting, and the webhooks through a real server and a fake Slack."""
