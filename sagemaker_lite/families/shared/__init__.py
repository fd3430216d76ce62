"""What several families share: lookups, echoing, listing and paging, the batch run."""
