"""The grant's forms: the coordinator's steps and the review actions."""
