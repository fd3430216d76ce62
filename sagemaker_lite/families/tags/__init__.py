"""Tags on any resource of a world (AddTags, ListTags, DeleteTags)."""
