//! The schema of `migrations/{sqlite,postgres}`: portable types only, the same meaning on both.

diesel::table! {
    clusters (id) {
        id -> Text,
        name -> Text,
        region -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enterprises (id) {
        id -> Text,
        cluster_id -> Text,
        name -> Text,
        credit_code -> Text,
        industry -> Text,
        size -> Text,
        region -> Text,
        sharing -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        contact_name -> Text,
        contact_phone -> Text,
        contact_email -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        cluster_id -> Nullable<Text>,
        enterprise_id -> Nullable<Text>,
        disabled -> Bool,
        language -> Text,
        token_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        // Identity pages: a password someone else set must be changed first.
        must_change_password -> Bool,
    }
}

diesel::table! {
    auditor_clusters (user_id, cluster_id) {
        user_id -> Text,
        cluster_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        cluster_id -> Text,
        name -> Text,
        questionnaire_id -> Text,
        questionnaire_hash -> Text,
        due_date -> Date,
        target_level -> Integer,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        campaign_id -> Text,
        enterprise_id -> Text,
        questionnaire_id -> Text,
        questionnaire_hash -> Text,
        status -> Text,
        version -> Integer,
        return_note -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        reviewed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        own_sheet -> Nullable<Text>,
        verified_sheet -> Nullable<Text>,
        profile_at_close -> Nullable<Text>,
    }
}

diesel::table! {
    answers (assessment_id, criterion_id) {
        assessment_id -> Text,
        criterion_id -> Text,
        rating -> Text,
        comment -> Text,
        version -> Integer,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        carried_over -> Bool,
    }
}

diesel::table! {
    reviews (id) {
        id -> Text,
        assessment_id -> Text,
        auditor_id -> Text,
        decision -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    verified_ratings (assessment_id, criterion_id) {
        assessment_id -> Text,
        criterion_id -> Text,
        rating -> Text,
        note -> Text,
        review_id -> Text,
        auditor_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    review_ratings (assessment_id, criterion_id) {
        assessment_id -> Text,
        criterion_id -> Text,
        rating -> Text,
        note -> Text,
        version -> Integer,
        auditor_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_samples (assessment_id) {
        assessment_id -> Text,
        seed -> BigInt,
        stratum -> Text,
        size -> Integer,
        criteria -> Text,
        auditor_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evidence (id) {
        id -> Text,
        assessment_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        effective_date -> Nullable<Date>,
        uploaded_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evidence_criteria (evidence_id, criterion_id) {
        evidence_id -> Text,
        criterion_id -> Text,
    }
}

diesel::table! {
    enterprise_profiles (enterprise_id) {
        enterprise_id -> Text,
        questionnaire_hash -> Text,
        answers_json -> Text,
        version -> Integer,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        kind -> Text,
        subject_id -> Text,
        language -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        questionnaire_id -> Text,
        questionnaire_hash -> Text,
        policy_version -> Text,
        requested_by -> Nullable<Text>,
        created_at -> Timestamp,
        subject_name -> Nullable<Text>,
        data_date -> Nullable<Date>,
        indicated_level -> Nullable<Text>,
        not_final -> Nullable<Bool>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        cluster_id -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(enterprises -> clusters (cluster_id));
diesel::joinable!(users -> clusters (cluster_id));
diesel::joinable!(users -> enterprises (enterprise_id));
diesel::joinable!(auditor_clusters -> users (user_id));
diesel::joinable!(auditor_clusters -> clusters (cluster_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(campaigns -> clusters (cluster_id));
diesel::joinable!(campaigns -> users (created_by));
diesel::joinable!(assessments -> campaigns (campaign_id));
diesel::joinable!(assessments -> enterprises (enterprise_id));
diesel::joinable!(answers -> assessments (assessment_id));
diesel::joinable!(answers -> users (updated_by));
diesel::joinable!(reviews -> assessments (assessment_id));
diesel::joinable!(reviews -> users (auditor_id));
diesel::joinable!(verified_ratings -> assessments (assessment_id));
diesel::joinable!(verified_ratings -> reviews (review_id));
diesel::joinable!(verified_ratings -> users (auditor_id));
diesel::joinable!(review_ratings -> assessments (assessment_id));
diesel::joinable!(review_ratings -> users (auditor_id));
diesel::joinable!(review_samples -> assessments (assessment_id));
diesel::joinable!(review_samples -> users (auditor_id));
diesel::joinable!(evidence -> assessments (assessment_id));
diesel::joinable!(evidence -> users (uploaded_by));
diesel::joinable!(evidence_criteria -> evidence (evidence_id));
diesel::joinable!(enterprise_profiles -> enterprises (enterprise_id));
diesel::joinable!(enterprise_profiles -> users (updated_by));
diesel::joinable!(reports -> users (requested_by));
diesel::joinable!(assessment_cards -> assessments (assessment_id));

diesel::allow_tables_to_appear_in_same_query!(
    clusters,
    enterprises,
    users,
    auditor_clusters,
    refresh_tokens,
    login_throttle,
    campaigns,
    assessments,
    answers,
    reviews,
    verified_ratings,
    review_ratings,
    review_samples,
    evidence,
    evidence_criteria,
    enterprise_profiles,
    reports,
    audit_log,
    assessment_cards,
);

// Stored scorecards: a row per frozen assessment that has them.
diesel::table! {
    assessment_cards (assessment_id) {
        assessment_id -> Text,
        own_card -> Nullable<Binary>,
        verified_card -> Nullable<Binary>,
        card_key -> Text,
    }
}

diesel::table! {
    audit_pending (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        cluster_id -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
        keyed_from -> Nullable<BigInt>,
        key_fingerprint -> Nullable<Text>,
    }
}

diesel::table! {
    questionnaire_versions (hash) {
        hash -> Text,
        questionnaire_id -> Text,
        source -> Text,
        first_loaded_at -> Timestamp,
    }
}
