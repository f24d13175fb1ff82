//! Word lists the synthetic rows are made of.

/// Time zones of accounts, in order: the first accounts cover zones with and
/// without daylight saving, on both hemispheres.
pub const TIMEZONES: [&str; 10] = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Tokyo",
    "UTC",
    "America/Los_Angeles",
    "Europe/London",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Europe/Berlin",
];

pub const PLANS: [&str; 3] = ["pro", "standard", "plus"];

pub const ACCOUNT_NAMES: [&str; 16] = [
    "Acme Outdoor",
    "Globex Travel",
    "Initech Software",
    "Umbrella Health",
    "Hooli Cloud",
    "Wonka Sweets",
    "Stark Energy",
    "Tyrell Robotics",
    "Cyberdyne Security",
    "Soylent Foods",
    "Vandelay Imports",
    "Pied Piper",
    "Massive Dynamic",
    "Oceanic Air",
    "Gringotts Bank",
    "Monarch Games",
];

pub const FIRST_NAMES: [&str; 32] = [
    "Alice", "Bruno", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olivia",
    "Pierre", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wei", "Xavier", "Yuki", "Zoe", "Amara", "Ben", "Camille", "Diego",
    "Elena", "Felix",
];

pub const LAST_NAMES: [&str; 32] = [
    "Martin", "Smith", "Tanaka", "Dubois", "Garcia", "Kim", "Muller", "Rossi", "Nguyen", "Brown", "Silva", "Kowalski", "Sato",
    "Jones", "Lefebvre", "Patel", "Cohen", "Olsen", "Novak", "Moreau", "Singh", "Taylor", "Suzuki", "Lopez", "Wilson", "Fischer",
    "Costa", "Ito", "Bernard", "Murphy", "Ali", "Young",
];

pub const INBOX_NAMES: [&str; 12] =
    ["Support", "Billing", "Sales", "VIP", "Partners", "Returns", "Technical", "Onboarding", "Press", "Jobs", "Security", "Feedback"];

pub const TEAM_NAMES: [&str; 8] = ["Tier 1", "Tier 2", "Billing squad", "Night shift", "EMEA", "Americas", "APAC", "Escalations"];

pub const BOT_NAMES: [&str; 4] = ["Triage bot", "Order status bot", "Returns bot", "Password reset bot"];

pub const WORKFLOWS: u64 = 3;

pub const FAQ_TITLES: [&str; 24] = [
    "How do I reset my password?",
    "Where is my order?",
    "How do I return an item?",
    "Changing your billing details",
    "Cancelling a subscription",
    "Exporting your data",
    "Two-factor authentication",
    "Shipping times and costs",
    "Using a discount code",
    "Inviting team members",
    "Connecting the mobile app",
    "Refund policy",
    "Updating your email address",
    "Troubleshooting login problems",
    "Deleting your account",
    "Plans and pricing",
    "Invoices and receipts",
    "Setting up notifications",
    "Integrations overview",
    "Privacy and GDPR requests",
    "Gift cards",
    "Accessibility features",
    "Offline mode",
    "Contacting support",
];

pub const SUBJECTS: [&str; 24] = [
    "Order not received",
    "Refund request",
    "Cannot log in",
    "Question about my invoice",
    "App crashes on start",
    "Change delivery address",
    "Wrong item delivered",
    "Cancel my subscription",
    "Feature request: dark mode",
    "Payment failed",
    "Upgrade my plan",
    "Password reset email never arrives",
    "Damaged package",
    "How do I export my data?",
    "Discount code not working",
    "Account locked",
    "Duplicate charge",
    "Question about shipping to Canada",
    "Data privacy request",
    "Sync is slow",
    "Bug report",
    "Partnership enquiry",
    "Thank you!",
    "Urgent: service down",
];

pub const TAGS: [&str; 8] = ["billing", "bug", "feature-request", "refund", "vip", "urgent", "onboarding", "shipping"];

pub const LABELS: [&str; 7] = ["billing", "technical", "how-to", "account", "shipping", "refund", "feedback"];

pub const FEATURES: [(&str, f64); 8] = [
    ("search", 5.0),
    ("saved_replies", 4.0),
    ("reports", 1.5),
    ("workflows", 1.0),
    ("customer_profiles", 2.0),
    ("docs", 1.0),
    ("beacon", 0.8),
    ("ai_drafts", 1.2),
];

pub const COMMENTS_GREAT: [&str; 5] =
    ["Super fast, thanks!", "Very helpful", "Solved my problem in minutes", "Great service as always", "Thank you so much"];
pub const COMMENTS_OKAY: [&str; 4] =
    ["Took a while but fine", "OK, the answer was a bit generic", "Fine", "Had to ask twice"];
pub const COMMENTS_NOT_GOOD: [&str; 5] = [
    "Still not solved",
    "Nobody read my message properly",
    "Way too slow",
    "The bot kept looping",
    "I was told to contact someone else",
];
