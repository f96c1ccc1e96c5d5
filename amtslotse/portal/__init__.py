"""The portal: the county's chat page and widget, and /api/chat in front of Rasa.

Rasa's port stays internal; the portal limits message size and rate, sets
security headers, and never logs what citizens write.
"""
